import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEndpoint } from '../../../harness/target/connect.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * Many requests on one SDK Streamable HTTP connection (the load engine's SDK
 * path, and every long check or scenario) must not pile abort listeners on
 * the transport's one signal: Node warns MaxListenersExceeded at 1,500.
 */
describe('SDK HTTP transport under many requests', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({
      servers: [
        {
          name: 'm',
          transport: 'http',
          http: { response: 'json' },
          tools: [{ name: 'echo', result: { text: 'ok' } }],
        },
        {
          name: 's',
          transport: 'http',
          http: { response: 'sse' },
          tools: [
            { name: 'echo', result: { text: 'ok' } },
            { name: 'stall', result: { text: 'never' } },
          ],
          faults: [{ type: 'hang', tools: ['stall'] }],
        },
      ],
    });
  });
  afterAll(() => fleet?.stop());

  const signalOf = (c: Awaited<ReturnType<typeof connectEndpoint>>) =>
    (c.transport as unknown as { _abortController: AbortController })._abortController.signal;

  it.each(['m', 's'])(
    'keeps the transport signal’s abort listeners flat (mock %s: JSON, SSE answers)',
    async (name) => {
      const url = fleet.mocks.get(name)?.endpoint()?.url as string;
      const c = await connectEndpoint({ transport: 'http', url, headers: {} }, { timeoutMs: 5000 });
      try {
        for (let i = 0; i < 300; i++) await c.client.callTool({ name: 'echo', arguments: {} });
        expect(getEventListeners(signalOf(c), 'abort').length).toBeLessThan(5);
      } finally {
        await c.close();
      }
    },
  );

  it('closing the connection still ends a call whose SSE answer is in flight', async () => {
    const url = fleet.mocks.get('s')?.endpoint()?.url as string;
    const c = await connectEndpoint({ transport: 'http', url, headers: {} }, { timeoutMs: 5000 });
    const call = c.client.callTool({ name: 'stall', arguments: {} }, { timeout: 30_000 });
    const settled = call.then(
      () => 'answered',
      () => 'ended',
    );
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    await c.close();
    expect(await settled).toBe('ended');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
