import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { GatewayContext } from './context.js';
import { GatewaySession } from './session.js';

/** Above this a single message kills the gateway when the oversize-crash defect is on. */
const CRASH_BYTES = 1024 * 1024;

/**
 * stdio upstream: one session over the given streams (the process's
 * stdin/stdout by default; stdout then carries nothing but MCP). The
 * session ends when stdin ends; `onClosed` tells the caller.
 */
export async function serveStdio(
  gw: GatewayContext,
  stdin: Readable = process.stdin,
  stdout: Writable = process.stdout,
  onClosed?: () => void,
): Promise<{ close(): Promise<void> }> {
  const session = new GatewaySession(gw);
  session.onClosed = onClosed;
  if (gw.defects.has('oversize-crash')) {
    let line = 0;
    stdin.on('data', (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const nl = text.lastIndexOf('\n');
      line = nl === -1 ? line + text.length : text.length - nl - 1;
      if (line > CRASH_BYTES) gw.fatal(`message over ${CRASH_BYTES} bytes`);
    });
  }
  const transport = new StdioServerTransport(stdin, stdout);
  await session.server.connect(transport);
  return { close: () => session.close() };
}
