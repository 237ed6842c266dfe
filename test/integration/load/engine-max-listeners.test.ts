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
      ],
    });
  });
  afterAll(() => fleet?.stop());

  it('keeps the transport signal’s abort listeners flat', async () => {
    const url = fleet.mocks.get('m')?.endpoint()?.url as string;
    const c = await connectEndpoint({ transport: 'http', url, headers: {} }, { timeoutMs: 5000 });
    try {
      const signal = (c.transport as unknown as { _abortController: AbortController })._abortController
        .signal;
      for (let i = 0; i < 300; i++) await c.client.callTool({ name: 'echo', arguments: {} });
      expect(getEventListeners(signal, 'abort').length).toBeLessThan(5);
    } finally {
      await c.close();
    }
  });
});
