import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../../harness/runner/outcome.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * A tool with `ask: sampling` asks only a client that declared the sampling
 * capability in initialize. Any other client gets an isError result naming the
 * missing capability, and is never sent a sampling/createMessage it cannot
 * answer (the mock's call log shows what it sent). `lenient: true` asks anyway.
 */

const sample = { name: 'sample', ask: 'sampling' as const };
let fleet: Fleet;
const clients: Client[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    servers: [
      { name: 'asker', transport: 'http', tools: [sample] },
      { name: 'asker-sse', transport: 'sse', tools: [sample] },
      { name: 'asker-loose', transport: 'http', lenient: true, tools: [sample] },
    ],
  });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await fleet?.stop();
});

async function connect(name: string, sampling: boolean): Promise<Client> {
  const client = new Client(
    { name: 'ask', version: '0.0.0' },
    { capabilities: sampling ? { sampling: {} } : {} },
  );
  const entry = fleet.mcpServers().mcpServers[name] as { url: string; type: string };
  const url = new URL(entry.url);
  await client.connect(
    entry.type === 'sse' ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url),
  );
  clients.push(client);
  if (sampling) {
    client.setRequestHandler('sampling/createMessage', async () => ({
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: 'hello back' },
    }));
  }
  return client;
}

/** What the mock sent during its last call of `sample` (server-to-client requests and notifications). */
async function sentDuringLastCall(name: string): Promise<string[]> {
  const calls = await fleet.mocks.get(name)!.calls({ tool: 'sample' });
  return (calls.at(-1)?.sent ?? []).map((s) => s.method);
}

describe('ask: sampling asks only clients that declared it', () => {
  it.each(['asker', 'asker-sse'])(
    '%s: a client with sampling is asked and its reply comes back',
    async (name) => {
      const client = await connect(name, true);
      const r = await client.callTool({ name: 'sample', arguments: { prompt: 'hi' } });
      expect(r.isError).toBeUndefined();
      expect(textOf(r as Record<string, unknown>)).toBe('test-model: hello back');
      expect(await sentDuringLastCall(name)).toEqual(['sampling/createMessage']);
    },
  );

  it.each(['asker', 'asker-sse'])(
    '%s: a client without sampling is not asked; the result is an isError naming the capability',
    async (name) => {
      const client = await connect(name, false);
      const r = await client.callTool({ name: 'sample', arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r as Record<string, unknown>)).toMatch(
        /^failed: .*did not declare the sampling capability/,
      );
      expect(await sentDuringLastCall(name)).toEqual([]);
    },
  );

  it('lenient: true asks a client without sampling anyway (the old behaviour)', async () => {
    const client = await connect('asker-loose', false);
    const r = await client.callTool({ name: 'sample', arguments: {} });
    expect(r.isError).toBe(true);
    expect(await sentDuringLastCall('asker-loose')).toEqual(['sampling/createMessage']);
  });
});
