import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { FleetInput } from '../../harness/schema/fleet.js';
import { createFleet, type Fleet } from '../../mocks/server/fleet.js';

/** Start a fleet for a test; remember to `await fleet.stop()` (use the returned `stop`). */
export async function startFleet(
  input: FleetInput,
  options: Parameters<typeof createFleet>[1] = {},
): Promise<Fleet> {
  const fleet = createFleet(input, options);
  await fleet.start();
  return fleet;
}

/** A real SDK client connected to one mock of a running fleet, over the mock's own transport. */
export async function connectTo(
  fleet: Fleet,
  name: string,
  headers?: Record<string, string>,
): Promise<Client> {
  const client = new Client({ name: 'mcp-harness-test', version: '0.0.0' });
  const entry = fleet.mcpServers().mcpServers[name];
  if (!entry) throw new Error(`no mock ${name}`);
  if ('command' in entry) {
    await client.connect(
      new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        env: { ...process.env, ...entry.env } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
  } else if (entry.type === 'sse') {
    await client.connect(new SSEClientTransport(new URL(entry.url), { requestInit: { headers } }));
  } else {
    await client.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers } }));
  }
  return client;
}

/** Whether a process id is still alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Poll until `fn` returns a truthy value or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 5_000, stepMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
