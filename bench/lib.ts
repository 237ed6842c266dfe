import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { stopProcess } from '../harness/runner/fleet-child.js';

export { median } from '../harness/measure/baseline.js';

/** The benchmark mock's fleet (servers/mock.ts runs it; a harness elsewhere connects to it by this spec). */
export const BENCH_FLEET = {
  servers: [
    {
      name: 'bench',
      transport: 'http' as const,
      http: { response: 'json' as const },
      tools: [
        {
          name: 'echo',
          description: 'echo',
          inputSchema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
          result: { text: 'ok' },
        },
      ],
    },
  ],
};

/**
 * Start a benchmark server script as its own process and read the first line
 * it prints: its URL, then (for some) more space-separated words (`extra`).
 */
export async function startServer(
  script: string,
  args: string[] = [],
): Promise<{ url: string; extra: string[]; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  let timer: NodeJS.Timeout | undefined;
  const [line] = (await Promise.race([
    once(lines, 'line'),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${script} printed no URL within 15 s`)), 15_000);
    }),
  ]).finally(() => clearTimeout(timer))) as [string];
  const [url = '', ...extra] = line.trim().split(/\s+/);
  const stop = () => stopProcess(child);
  return { url, extra, child, stop };
}

/** Open an MCP session over Streamable HTTP with plain fetch; returns the session id. */
export async function openSession(url: string): Promise<string> {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const init = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bench', version: '0' },
      },
    }),
  });
  const sid = init.headers.get('mcp-session-id');
  await init.text();
  if (!sid) throw new Error(`no session id from ${url} (status ${init.status})`);
  const ack = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await ack.text();
  return sid;
}
