import type { Client, ClientOptions } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowUs } from '../../../harness/measure/clock.js';
import { startModernBackend } from './era-modern-backend.js';
import { startAsker } from './gateway-asker.js';
import { type FleetHandle, fleetWithFile, type GatewayHandle, gatewayOn, textOf } from './gateway-setup.js';

/**
 * The reference gateway serves both protocol eras from one endpoint and
 * bridges them: a 2026-07-28 client reaches 2025-era backends (their
 * sampling requests become input_required rounds), a 2025 client reaches a
 * 2026-07-28-only backend (its input_required results become sampling
 * requests), and each era-bridging defect breaks exactly its leg.
 */

const MODERN: ClientOptions['versionNegotiation'] = { mode: { pin: '2026-07-28' } };

let f: FleetHandle;
let asker: Awaited<ReturnType<typeof startAsker>>;
let modern: Awaited<ReturnType<typeof startModernBackend>>;
const gateways: GatewayHandle[] = [];

beforeAll(async () => {
  f = await fleetWithFile({
    servers: [{ name: 'plain', transport: 'http', era: 'legacy', tools: [{ name: 'noop' }] }],
  } as never);
  [asker, modern] = await Promise.all([startAsker(), startModernBackend()]);
});
afterAll(async () => {
  await Promise.allSettled(gateways.map((g) => g.stop()));
  await Promise.allSettled([asker?.close(), modern?.close()]);
  await f?.stop();
});

async function gateway(defects: string[] = [], timeoutMs = 5000): Promise<GatewayHandle> {
  const g = await gatewayOn(f.fleet, f.file, {
    defects,
    gateway: { timeoutMs },
    extra: { asker: { type: 'http', url: asker.url }, modern: { type: 'http', url: modern.url } },
  });
  gateways.push(g);
  return g;
}

/** A client of `era` that answers sampling; `asked` counts the sampling requests that reached it. */
async function client(g: GatewayHandle, era: 'legacy' | 'modern') {
  const asked: string[] = [];
  const c: Client = await g.connect({
    capabilities: { sampling: {} },
    ...(era === 'modern' ? { versionNegotiation: MODERN } : {}),
  });
  c.setRequestHandler('sampling/createMessage', async () => {
    asked.push('sampling');
    return { model: `${era}-model`, role: 'assistant', content: { type: 'text', text: 'hi' } };
  });
  return { c, asked };
}

const call = async (c: Client, name: string) => {
  try {
    const r = await c.callTool({ name, arguments: {} }, { timeout: 8000 });
    return { ok: !r.isError, text: textOf(r) };
  } catch (e) {
    return { ok: false, text: `error: ${(e as Error).message}` };
  }
};

describe('both eras on one endpoint', () => {
  it('a 2026-07-28 client negotiates modern and reaches backends of both eras', async () => {
    const g = await gateway();
    const { c } = await client(g, 'modern');
    expect(c.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['plain__noop', 'asker__sample', 'modern__hello']));
    expect(await call(c, 'modern__hello')).toEqual({ ok: true, text: 'hello from 2026-07-28' });
    expect((await call(c, 'plain__noop')).ok).toBe(true);
    expect(g.gateway.sessions()).toBe(0); // no session in the modern era
  });

  it('a 2025 client keeps its session and reaches the 2026-07-28-only backend', async () => {
    const g = await gateway();
    const { c } = await client(g, 'legacy');
    expect(c.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(await call(c, 'modern__hello')).toEqual({ ok: true, text: 'hello from 2026-07-28' });
    expect(g.gateway.sessions()).toBe(1);
  });

  it("the backend's reserved _meta (its serverInfo) does not reach the client as the gateway's", async () => {
    const g = await gateway();
    const { c } = await client(g, 'legacy');
    const r = await c.callTool({ name: 'modern__hello', arguments: {} });
    expect(JSON.stringify(r._meta ?? {})).not.toContain('modern-backend');
  });
});

describe('input bridged across eras', () => {
  it("modern client ↔ 2025 backend: the backend's sampling request becomes an input_required round", async () => {
    const g = await gateway();
    const { c, asked } = await client(g, 'modern');
    expect(await call(c, 'asker__sample')).toEqual({ ok: true, text: 'modern-model: hi' });
    expect(asked).toEqual(['sampling']);
  });

  it('the round is visible on the wire: input_required with the gateway requestState, then the result', async () => {
    const g = await gateway();
    const { c } = await client(g, 'modern');
    const first = (await c.callTool(
      { name: 'asker__sample', arguments: {} },
      { allowInputRequired: true },
    )) as {
      resultType?: string;
      inputRequests?: Record<string, { method: string }>;
      requestState?: string;
    };
    expect(first.resultType).toBe('input_required');
    const [key, ask] = Object.entries(first.inputRequests ?? {})[0] ?? [];
    expect(ask?.method).toBe('sampling/createMessage');
    const reply = { model: 'manual', role: 'assistant', content: { type: 'text', text: 'by hand' } };
    const second = await c.request({
      method: 'tools/call',
      params: {
        name: 'asker__sample',
        arguments: {},
        inputResponses: { [key as string]: reply },
        requestState: first.requestState,
      },
    } as never);
    expect(textOf(second as never)).toBe('manual: by hand');
  });

  it('a held call whose client never retries is abandoned: the backend is refused, nothing hangs', async () => {
    const g = await gateway([], 1500);
    const { c } = await client(g, 'modern');
    const first = (await c.callTool(
      { name: 'asker__sample', arguments: {} },
      { allowInputRequired: true },
    )) as {
      requestState?: string;
    };
    await new Promise((r) => setTimeout(r, 2000));
    const retry = await c
      .request({
        method: 'tools/call',
        params: {
          name: 'asker__sample',
          arguments: {},
          inputResponses: {},
          requestState: first.requestState,
        },
      } as never)
      .then(
        () => 'answered',
        (e: Error) => e.message,
      );
    expect(retry).toMatch(/Invalid or expired requestState/);
  });

  it('modern client ↔ 2026-07-28 backend: its input_required and requestState are relayed both ways', async () => {
    const g = await gateway();
    const { c, asked } = await client(g, 'modern');
    expect(await call(c, 'modern__ask')).toEqual({ ok: true, text: 'modern-model: hi' });
    expect(asked).toEqual(['sampling']);
  });

  it("2025 client ↔ 2026-07-28 backend: the backend's input_required becomes a sampling request", async () => {
    const g = await gateway();
    const { c, asked } = await client(g, 'legacy');
    expect(await call(c, 'modern__ask')).toEqual({ ok: true, text: 'legacy-model: hi' });
    expect(asked).toEqual(['sampling']);
  });
});

describe('each era defect breaks its leg', () => {
  it('mrtr-unbridged: the 2025 backend is refused instead of the modern client being asked', async () => {
    const g = await gateway(['mrtr-unbridged']);
    const { c, asked } = await client(g, 'modern');
    const r = await call(c, 'asker__sample');
    expect(r.ok).toBe(false);
    expect(asked).toEqual([]);
    // the 2025 leg is untouched
    const legacy = await client(g, 'legacy');
    expect((await call(legacy.c, 'asker__sample')).ok).toBe(true);
  });

  it('request-state-dropped: the 2026-07-28 backend never sees its state again', async () => {
    const g = await gateway(['request-state-dropped']);
    const { c } = await client(g, 'modern');
    expect((await call(c, 'modern__ask')).ok).toBe(false);
    expect((await call(c, 'modern__hello')).ok).toBe(true);
  });

  it('input-required-unfulfilled: a 2025 client is never asked for the modern backend', async () => {
    const g = await gateway(['input-required-unfulfilled']);
    const { c, asked } = await client(g, 'legacy');
    expect((await call(c, 'modern__ask')).ok).toBe(false);
    expect(asked).toEqual([]);
    expect((await call(c, 'modern__hello')).ok).toBe(true);
  });

  it('legacy-downstream-only: the 2026-07-28-only backend drops out, the others stay', async () => {
    const g = await gateway(['legacy-downstream-only']);
    const { c } = await client(g, 'legacy');
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toContain('plain__noop');
    expect(names).not.toContain('modern__hello');
  });

  it('modern-unserved: a client pinned to 2026-07-28 cannot connect; a 2025 client can', async () => {
    const g = await gateway(['modern-unserved']);
    await expect(client(g, 'modern')).rejects.toThrow();
    expect((await client(g, 'legacy')).c.getNegotiatedProtocolVersion()).toBe('2025-11-25');
  });
});

describe('cancellation in 2026-07-28: closing the stream', () => {
  async function cancelled(defects: string[]): Promise<boolean> {
    const g = await gateway(defects);
    const { c } = await client(g, 'modern');
    const plain = f.fleet.mocks.get('plain')!;
    const fault = await plain.addFault({ type: 'hang', tools: ['noop'] });
    try {
      const since = nowUs();
      const ac = new AbortController();
      const pending = c
        .callTool({ name: 'plain__noop', arguments: {} }, { signal: ac.signal })
        .catch(() => 'aborted');
      const reached = async () => (await plain.calls({ tool: 'noop', since })).at(-1);
      await waitUntil(async () => (await reached()) !== undefined, 3000);
      ac.abort();
      await pending;
      return await waitUntil(async () => (await reached())?.cancelled === true, 1500);
    } finally {
      await plain.removeFault(fault);
    }
  }

  it("closing a round's stream cancels the 2025 backend's call (notifications/cancelled)", async () => {
    expect(await cancelled([])).toBe(true);
  });

  it('stream-close-ignored: the backend call runs on', async () => {
    expect(await cancelled(['stream-close-ignored'])).toBe(false);
  });
});

/** Whether `cond` holds within `ms` (polled every 20 ms). */
async function waitUntil(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
