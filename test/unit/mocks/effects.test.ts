import { getEventListeners } from 'node:events';
import { ProtocolError } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import type { FaultEffect } from '../../../mocks/faults/types.js';
import { type EffectEnv, runWithEffects } from '../../../mocks/server/effects.js';

/**
 * A mock's handler-level effects: a delay or a hang ends with the MCP
 * cancellation error (-32800) when the client cancels, and leaves no listener
 * on the mock's stop signal, which lives as long as the mock (a run of
 * cancelled calls must not pile listeners up on it).
 */

function envOf(signal: AbortSignal, stopSignal: AbortSignal, seen: string[] = []): EffectEnv {
  return {
    signal,
    stopSignal,
    crash: () => Promise.reject(new Error('crashed')),
    onDelay: (us) => seen.push(`delay ${us}`),
    onHang: () => seen.push('hang'),
  };
}

const applied = (...effects: FaultEffect[]) => effects.map((effect, i) => ({ id: `f${i}`, effect }));
const handler = async () => ({ content: [{ type: 'text' as const, text: 'ok' }] });
const stopListeners = (stop: AbortSignal) => getEventListeners(stop, 'abort').length;

async function cancelled(p: Promise<unknown>): Promise<number | undefined> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return e instanceof ProtocolError ? e.code : undefined;
}

describe('runWithEffects', () => {
  it('serves a delay, then the handler', async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    const result = await runWithEffects(
      applied({ kind: 'delay', ms: 5 }),
      envOf(new AbortController().signal, stop.signal, seen),
      handler,
    );
    expect(result).toEqual({ content: [{ type: 'text', text: 'ok' }] });
    expect(seen).toEqual(['delay 5000']);
    expect(stopListeners(stop.signal)).toBe(0);
  });

  it('a delay cancelled by the client ends with -32800 and detaches from the stop signal', async () => {
    const stop = new AbortController();
    const client = new AbortController();
    const p = runWithEffects(
      applied({ kind: 'delay', ms: 60_000 }),
      envOf(client.signal, stop.signal),
      handler,
    );
    expect(stopListeners(stop.signal)).toBe(1);
    client.abort(new Error('client cancelled'));
    expect(await cancelled(p)).toBe(-32800);
    expect(stopListeners(stop.signal)).toBe(0);
  });

  it('hangs cancelled one after another leave no listener on the stop signal', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) {
      const client = new AbortController();
      const p = runWithEffects(applied({ kind: 'hang' }), envOf(client.signal, stop.signal), handler);
      client.abort();
      expect(await cancelled(p)).toBe(-32800);
    }
    expect(stopListeners(stop.signal)).toBe(0);
  });

  it('the mock stopping releases a hung call', async () => {
    const stop = new AbortController();
    const client = new AbortController();
    const p = runWithEffects(applied({ kind: 'hang' }), envOf(client.signal, stop.signal), handler);
    stop.abort();
    expect(await cancelled(p)).toBe(-32800);
    expect(getEventListeners(client.signal, 'abort')).toHaveLength(0);
  });
});
