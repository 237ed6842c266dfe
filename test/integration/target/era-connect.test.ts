import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../../harness/runner/run-scenario.js';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { Endpoint } from '../../../harness/schema/target.js';
import { type Connection, connectEndpoint } from '../../../harness/target/connect.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * The harness's client speaks the era a target asks for (`protocol: legacy |
 * auto | 2026-07-28`, and `modern` from code) and every connection reports the
 * era it negotiated; a `run` against a target pinned to 2026-07-28 reaches the
 * mock on the modern wire (its call log says so) and reports the era.
 */

let fleet: Fleet;
const open: Connection[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    servers: [
      { name: 'dual', transport: 'http', tools: [{ name: 'echo' }] },
      { name: 'old', transport: 'http', era: 'legacy', tools: [{ name: 'echo' }] },
      { name: 'new', transport: 'http', era: 'modern', tools: [{ name: 'echo' }] },
    ],
  });
});
afterAll(async () => {
  await Promise.allSettled(open.map((c) => c.close()));
  await fleet?.stop();
});

const endpoint = (name: string): Endpoint => ({
  transport: 'http',
  url: (fleet.mcpServers().mcpServers[name] as { url: string }).url,
  headers: {},
});

async function connect(name: string, protocol: 'legacy' | 'auto' | 'modern' | '2026-07-28') {
  const c = await connectEndpoint(endpoint(name), { timeoutMs: 5000, protocol });
  open.push(c);
  return c;
}

describe('connectEndpoint speaks the era the target asks for', () => {
  it.each([
    ['dual', 'legacy', 'legacy'],
    ['dual', 'modern', 'modern'],
    ['dual', '2026-07-28', 'modern'],
    ['dual', 'auto', 'modern'],
    ['old', 'auto', 'legacy'],
    ['new', 'auto', 'modern'],
  ] as const)('%s mock, protocol %s → %s', async (name, protocol, era) => {
    const c = await connect(name, protocol);
    expect(c.era).toBe(era);
    expect(c.protocolVersion).toBe(era === 'modern' ? '2026-07-28' : '2025-11-25');
    const r = await c.client.callTool({ name: 'echo', arguments: { protocol } });
    expect(r.structuredContent).toEqual({ protocol });
    const logged = await fleet.mocks.get(name)!.calls({ method: 'tools/call' });
    expect(logged.find((x) => (x.arguments as { protocol?: string }).protocol === protocol)?.era).toBe(era);
  });

  it('a pin the server cannot serve fails to connect with a reason (no silent fallback)', async () => {
    await expect(connect('old', 'modern')).rejects.toThrow(/SUT|old|2026-07-28|negotiat/i);
    await expect(connect('new', 'legacy')).rejects.toThrow();
  });
});

describe('run honours the target protocol', () => {
  it.each([
    ['legacy', 'legacy'],
    ['2026-07-28', 'modern'],
  ] as const)(
    'protocol %s: the call reaches the mock on the %s wire and the result reports it',
    async (protocol, era) => {
      const logged: CallRecord[] = [];
      const result = await runScenario(
        {
          fleet: { servers: [{ name: 'svc', transport: 'http', tools: [{ name: 'echo' }] }] },
          target: { pattern: 'direct', protocol, endpoint: { transport: 'http', url: '{fleet.svc.url}' } },
          steps: [{ call: 'svc.echo', args: { hi: 1 }, expect: { servedBy: 'svc' } }],
        },
        { onCallLog: (calls) => logged.push(...calls) },
      );
      expect(result.status, JSON.stringify(result.steps)).toBe('pass');
      expect(logged.find((c) => c.method === 'tools/call')?.era).toBe(era);
      expect(Object.values(result.eras ?? {})).toEqual([era]);
    },
  );
});
