import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAsker } from './gateway-asker.js';
import { type FleetHandle, fleetWithFile, type GatewayHandle, gatewayOn, textOf } from './gateway-setup.js';

/**
 * Server-to-client requests (sampling, elicitation, roots) sent by a
 * downstream server during a call reach the upstream client of that call —
 * never another session, never answered by the gateway itself — and are
 * refused when that client lacks the capability.
 */

let f: FleetHandle;
let asker: Awaited<ReturnType<typeof startAsker>>;
const gateways: GatewayHandle[] = [];

beforeAll(async () => {
  f = await fleetWithFile({ servers: [{ name: 'plain', transport: 'http', tools: [{ name: 'noop' }] }] });
  asker = await startAsker();
});
afterAll(async () => {
  await Promise.allSettled(gateways.map((g) => g.stop()));
  await asker?.close();
  await f?.stop();
});

async function gateway(defects: string[] = []): Promise<GatewayHandle> {
  const g = await gatewayOn(f.fleet, f.file, { defects, extra: { asker: { type: 'http', url: asker.url } } });
  gateways.push(g);
  return g;
}

/** An upstream client that can answer sampling, elicitation and roots; `asked` counts what reached it. */
async function capableClient(g: GatewayHandle, label: string) {
  const asked: string[] = [];
  const client: Client = await g.connect({
    capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } },
  });
  client.setRequestHandler('sampling/createMessage', async () => {
    asked.push('sampling');
    return { model: `model-of-${label}`, role: 'assistant', content: { type: 'text', text: 'hello' } };
  });
  client.setRequestHandler('elicitation/create', async () => {
    asked.push('elicitation');
    return { action: 'accept', content: { name: label } };
  });
  client.setRequestHandler('roots/list', async () => {
    asked.push('roots');
    return { roots: [{ uri: `file:///${label}`, name: label }] };
  });
  return { client, asked };
}

const call = (c: Client, name: string) => c.callTool({ name: `asker__${name}`, arguments: {} });

describe('server-to-client requests', () => {
  it('relays sampling, elicitation and roots to the client whose call caused them', async () => {
    const g = await gateway();
    const a = await capableClient(g, 'alice');
    const b = await capableClient(g, 'bob');
    expect(textOf(await call(a.client, 'sample'))).toBe('model-of-alice: hello');
    expect(textOf(await call(a.client, 'elicit'))).toBe('accept: {"name":"alice"}');
    expect(textOf(await call(a.client, 'roots'))).toBe('file:///alice');
    expect(textOf(await call(b.client, 'sample'))).toBe('model-of-bob: hello');
    expect(a.asked).toEqual(['sampling', 'elicitation', 'roots']);
    expect(b.asked).toEqual(['sampling']);
  });

  it('refuses them with an error when the client lacks the capability', async () => {
    const g = await gateway();
    const bare = await g.connect();
    for (const tool of ['sample', 'elicit', 'roots']) {
      const r = await call(bare, tool);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^failed: .*(does not support|elicitation)/i);
    }
  });

  it('with sampling-fabricated, the gateway answers sampling itself', async () => {
    const g = await gateway(['sampling-fabricated']);
    const a = await capableClient(g, 'alice');
    expect(textOf(await call(a.client, 'sample'))).toBe('mcp-harness-gateway: answered by the gateway');
    expect(a.asked).toEqual([]);
    const bare = await g.connect();
    expect((await call(bare, 'sample')).isError).toBeUndefined();
  });
});
