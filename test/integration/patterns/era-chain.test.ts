import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainHandle, startChain } from '../../../mocks/patterns/chain/index.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';
import { CHAIN, FLEET } from './chain-fixture.js';

/**
 * The reference chain serves both protocol eras on one endpoint: a client
 * pinned to 2026-07-28 (no session) and a 2025 client (its session) run the
 * same pipeline over the same downstreams.
 */

let fleet: Fleet;
let chain: ChainHandle;
const clients: Client[] = [];

beforeAll(async () => {
  fleet = await startFleet(FLEET);
  chain = await startChain({ mcpServers: fleet.mcpServers(), chain: CHAIN });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await chain?.close();
  await fleet?.stop();
});

async function connect(mode: 'legacy' | { pin: string }): Promise<Client> {
  const c = new Client({ name: 'era-chain', version: '0.0.0' }, { versionNegotiation: { mode } });
  clients.push(c);
  await c.connect(new StreamableHTTPClientTransport(new URL(chain.url!)));
  return c;
}

describe('the chain in both eras', () => {
  it.each([
    ['2026-07-28', { pin: '2026-07-28' }],
    ['2025-11-25', 'legacy'],
  ] as const)('a %s client runs the pipeline', async (version, mode) => {
    const c = await connect(mode);
    expect(c.getNegotiatedProtocolVersion()).toBe(version);
    expect((await c.listTools()).tools.map((t) => t.name)).toContain('triage');
    const r = await c.callTool({ name: 'triage', arguments: { id: 7, channel: 'eng' } });
    const text = (r.content as Array<{ type: string; text?: string }>)[0]?.text;
    expect(text).toBe('done: posted to #eng');
  });
});
