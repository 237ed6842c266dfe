// A bare SDK server with the same tool as the benchmark mock: Streamable HTTP,
// stateful sessions, JSON responses, on plain node:http. Prints its URL.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const sessions = new Map<string, NodeStreamableHTTPServerTransport>();

function newSession() {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'echo', inputSchema: z.object({ x: z.number() }) },
    async () => ({
      content: [{ type: 'text', text: 'ok' }],
    }),
  );
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse: true,
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
    },
  });
  return { server, transport };
}

const http = createServer((req, res) => {
  let text = '';
  req.on('data', (c) => {
    text += c;
  });
  req.on('end', async () => {
    const body = text ? JSON.parse(text) : undefined;
    const sid = req.headers['mcp-session-id'];
    const existing = typeof sid === 'string' ? sessions.get(sid) : undefined;
    if (existing) return existing.handleRequest(req, res, body);
    if (body && isInitializeRequest(body)) {
      const { server, transport } = newSession();
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    res.writeHead(400).end();
  });
});
http.listen(0, '127.0.0.1', () => {
  const addr = http.address();
  process.stdout.write(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/mcp\n`);
});
process.on('SIGTERM', () => process.exit(0));
