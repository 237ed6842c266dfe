import { nowUs } from '../measure/clock.js';
import type { Recorder } from './recorder.js';
import type { SessionPool } from './sessions.js';
import type { IterationStep } from './task.js';
import type { RequestOutcome } from './wire.js';

/**
 * One iteration: every call of the workflow in order (parallel groups
 * together, repeats repeated), on one session of each endpoint. The
 * iteration fails with its first failed call's outcome; each call's service
 * time is recorded under its step, and a sampled call carries a traceparent.
 */
export interface IterationContext {
  pools: Map<string, SessionPool>;
  recorder: Recorder;
  steps: IterationStep[];
  /** A unique JSON-RPC id (and trace-sampling decision) for each call. */
  nextId(): number;
  traceparentFor(id: number): string | undefined;
}

/** One iteration; without `intendedUs` (closed loop) it is intended when it is sent. */
export async function runIteration(
  ctx: IterationContext,
  session: number,
  intendedUs?: number,
): Promise<void> {
  const sentUs = nowUs();
  const outcome = await runSteps(ctx, ctx.steps, session);
  ctx.recorder.iteration(intendedUs ?? sentUs, sentUs, nowUs(), outcome);
}

async function runSteps(
  ctx: IterationContext,
  steps: IterationStep[],
  session: number,
): Promise<RequestOutcome> {
  let first: RequestOutcome = { ok: true };
  const keep = (o: RequestOutcome) => {
    if (first.ok && !o.ok) first = o;
  };
  for (const s of steps) {
    if (s.kind === 'call') keep(await runCall(ctx, s, session));
    else if (s.kind === 'parallel') {
      for (const o of await Promise.all(s.steps.map((p) => runSteps(ctx, [p], session)))) keep(o);
    } else for (let i = 0; i < s.times; i++) keep(await runSteps(ctx, s.steps, session));
  }
  return first;
}

async function runCall(
  ctx: IterationContext,
  s: Extract<IterationStep, { kind: 'call' }>,
  session: number,
): Promise<RequestOutcome> {
  const pool = ctx.pools.get(s.client) as SessionPool;
  const id = ctx.nextId();
  const traceparent = ctx.traceparentFor(id);
  const sentUs = nowUs();
  ctx.recorder.sent++;
  const outcome = await pool.call(session, s.tool, s.args, id, traceparent);
  const doneUs = nowUs();
  ctx.recorder.step(s.step, sentUs, doneUs);
  if (traceparent)
    ctx.recorder.sample({ traceId: traceparent.slice(3, 35), step: s.step, sentUs, doneUs, ok: outcome.ok });
  return outcome;
}
