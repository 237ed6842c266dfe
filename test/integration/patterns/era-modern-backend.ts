import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  type CallToolResult,
  type CreateMessageResult,
  createMcpHandler,
  inputRequired,
  Server,
} from '@modelcontextprotocol/server';

/** The requestState the backend mints on its first round (a gateway must hand it back unchanged). */
export const BACKEND_STATE = 'modern-backend-state-1';

/**
 * A 2026-07-28-only backend (Streamable HTTP, `legacy: 'reject'`): a 2025
 * client cannot even initialize. `hello` answers plainly; `ask` asks the
 * client for a sampling reply with an input_required result and answers
 * with that reply on the retry, but only when its own requestState came back.
 */
function buildServer(): Server {
  const server = new Server({ name: 'modern-backend', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({
    tools: ['hello', 'ask'].map((name) => ({
      name,
      description: `modern-only tool [origin:modern/${name}]`,
      inputSchema: { type: 'object' as const },
    })),
  }));
  server.setRequestHandler('tools/call', async (req, ctx): Promise<CallToolResult> => {
    if (req.params.name === 'hello') return { content: [{ type: 'text', text: 'hello from 2026-07-28' }] };
    const reply = ctx.mcpReq.inputResponses?.s as CreateMessageResult | undefined;
    const state = ctx.mcpReq.requestState();
    if (!reply || state !== BACKEND_STATE) {
      return inputRequired({
        inputRequests: {
          s: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'say hi' } }],
            maxTokens: 16,
          }),
        },
        requestState: BACKEND_STATE,
      }) as never;
    }
    const content = Array.isArray(reply.content) ? reply.content[0] : reply.content;
    return {
      content: [{ type: 'text', text: `${reply.model}: ${content?.type === 'text' ? content.text : '?'}` }],
    };
  });
  return server;
}

export async function startModernBackend(): Promise<{ url: string; close(): Promise<void> }> {
  const handler = createMcpHandler(() => buildServer(), { legacy: 'reject' });
  const node = toNodeHandler(handler);
  const http = createServer((req, res) => void node(req, res).catch(() => res.destroy()));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      await handler.close().catch(() => {});
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
