import { ProtocolError } from '@modelcontextprotocol/server';
import { sleep as sharedSleep } from '../../harness/runner/deadline.js';
import type { FaultEffect, ToolResultLike } from '../faults/types.js';
import type { AppliedFault } from './fault-engine.js';

export interface EffectEnv {
  /** Aborted when the client cancels the request. */
  signal: AbortSignal;
  /** Aborted when the mock stops: releases hung requests so nothing outlives the mock. */
  stopSignal: AbortSignal;
  crash(): Promise<never>;
  onDelay(us: number): void;
  onHang(): void;
}

/**
 * Run the handler-level effects of the faults that fired for a call, then the
 * handler itself. Wire effects (how bytes leave) are the transport's business
 * and are skipped here.
 */
export async function runWithEffects(
  applied: AppliedFault[],
  env: EffectEnv,
  handler: () => Promise<ToolResultLike>,
): Promise<ToolResultLike> {
  const effects = applied.map((a) => a.effect);
  if (effects.some((e) => e.kind === 'crash')) return env.crash();

  const delayMs = effects.reduce((sum, e) => sum + (e.kind === 'delay' ? e.ms : 0), 0);
  if (delayMs > 0) {
    env.onDelay(Math.round(delayMs * 1000));
    await sleep(delayMs, env.signal, env.stopSignal);
  }

  if (effects.some((e) => e.kind === 'hang')) {
    env.onHang();
    await untilAborted(env.signal, env.stopSignal);
    throw new ProtocolError(-32800, 'request cancelled while hanging');
  }

  const settle = effects.find((e): e is Extract<FaultEffect, { kind: 'error' | 'throw' | 'result' }> =>
    ['error', 'throw', 'result'].includes(e.kind),
  );
  if (settle?.kind === 'error') throw new ProtocolError(settle.code, settle.message, settle.data);
  if (settle?.kind === 'throw') throw new Error(settle.message);

  let result = settle?.kind === 'result' ? settle.result : await handler();
  for (const e of effects) if (e.kind === 'transform') result = e.apply(result);
  return result;
}

/** The wire effect of a call, if any fault asked for one (the first wins). */
export function wireEffectOf(applied: AppliedFault[]) {
  for (const a of applied) if (a.effect.kind === 'wire') return a.effect.wire;
  return undefined;
}

/**
 * The mock's sleep: the one sleep (harness/runner/deadline.ts), served in full,
 * ended by any of `signals` (the request's, the mock's stop) with the MCP
 * cancellation error (-32800) a cancelled request answers with.
 */
export function sleep(ms: number, ...signals: AbortSignal[]): Promise<void> {
  return sharedSleep(ms, signals, { reason: abortError });
}

/** Until one of `signals` aborts; then no listener is left on the others (the mock's stop signal lives long). */
function untilAborted(...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((s) => s.aborted)) return resolve();
    const done = () => {
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    };
    for (const s of signals) s.addEventListener('abort', done, { once: true });
  });
}

function abortError(): Error {
  return new ProtocolError(-32800, 'request cancelled');
}
