import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import {
  type CallToolResult,
  isInitializeRequest,
  Server,
  type ServerContext,
} from '@modelcontextprotocol/server';

/**
 * A downstream MCP server (Streamable HTTP) whose tools ask the client
 * something — sampling, elicitation, roots — the way real servers do. The
 * fleet mocks never send server-to-client requests, so the relay tests need it.
 */
const TOOLS = {
  sample: async (ctx: ServerContext) => {
    const r = await ctx.mcpReq.requestSampling({
      messages: [{ role: 'user', content: { type: 'text', text: 'say hi' } }],
      maxTokens: 16,
    });
    const content = Array.isArray(r.content) ? r.content[0] : r.content;
    return `${r.model}: ${content?.type === 'text' ? content.text : '?'}`;
  },
  elicit: async (ctx: ServerContext) => {
    const r = await ctx.mcpReq.elicitInput({
      message: 'Your name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
    });
    return `${r.action}: ${JSON.stringify(r.content ?? {})}`;
  },
  roots: async (ctx: ServerContext) => {
    const r = await ctx.mcpReq.send({ method: 'roots/list' });
    return r.roots.map((root) => root.uri).join(',');
  },
} as const;

function buildServer(): Server {
  const server = new Server({ name: 'asker', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({
    tools: Object.keys(TOOLS).map((name) => ({
      name,
      description: `asks the client [origin:asker/${name}]`,
      inputSchema: { type: 'object' as const },
    })),
  }));
  server.setRequestHandler('tools/call', async (req, ctx): Promise<CallToolResult> => {
    const run = TOOLS[req.params.name as keyof typeof TOOLS];
    try {
      return { content: [{ type: 'text', text: await run(ctx) }] };
    } catch (e) {
      return { content: [{ type: 'text', text: `failed: ${(e as Error).message}` }], isError: true };
    }
  });
  return server;
}

export async function startAsker(): Promise<{ url: string; close(): Promise<void> }> {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const http = createServer((req, res) => {
    void (async () => {
      const body = req.method === 'POST' ? JSON.parse(await text(req)) : undefined;
      const sid = req.headers['mcp-session-id'];
      let transport = typeof sid === 'string' ? sessions.get(sid) : undefined;
      if (!transport && body && isInitializeRequest(body)) {
        const t = new NodeStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            sessions.set(id, t);
          },
        });
        await buildServer().connect(t);
        transport = t;
      }
      if (!transport) {
        res.writeHead(404).end();
        return;
      }
      await transport.handleRequest(req, res, body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      await Promise.allSettled([...sessions.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

function text(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
