import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../../harness/runner/outcome.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * A tool with `ask: sampling` sends sampling/createMessage to the client of
 * the call and answers with the client's reply; a client without the sampling
 * capability gets an isError result, never a made-up answer.
 */

let fleet: Fleet;
const clients: Client[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    servers: [{ name: 'asker', transport: 'http', tools: [{ name: 'sample', ask: 'sampling' }] }],
  });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await fleet?.stop();
});

async function connect(sampling: boolean): Promise<Client> {
  const client = new Client(
    { name: 'ask-test', version: '0.0.0' },
    { capabilities: sampling ? { sampling: {} } : {} },
  );
  const url = (fleet.mcpServers().mcpServers.asker as { url: string }).url;
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return client;
}

describe('ask: sampling', () => {
  it('asks the client and answers with its reply', async () => {
    const client = await connect(true);
    const prompts: string[] = [];
    client.setRequestHandler('sampling/createMessage', async (req) => {
      const first = req.params.messages[0]?.content;
      prompts.push(first && !Array.isArray(first) && first.type === 'text' ? first.text : '?');
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'hello back' } };
    });
    const r = await client.callTool({ name: 'sample', arguments: { prompt: 'greet me' } });
    expect(r.isError).toBeUndefined();
    expect(textOf(r as Record<string, unknown>)).toBe('test-model: hello back');
    expect(prompts).toEqual(['greet me']);
  });

  it('answers isError when the client cannot sample', async () => {
    const client = await connect(false);
    const r = await client.callTool({ name: 'sample', arguments: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r as Record<string, unknown>)).toMatch(/^failed: /);
  });
});
