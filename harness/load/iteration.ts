import { nowUs } from '../measure/clock.js';
import { sleep } from '../runner/deadline.js';
import { evaluateExpectations } from '../runner/expect.js';
import { stepValue } from '../runner/outcome.js';
import { renderReferences } from '../runner/references.js';
import type { ExpectationTally } from './expectations.js';
import { callOutcomeOf } from './expectations.js';
import type { Recorder } from './recorder.js';
import type { SessionPool } from './sessions.js';
import type { IterationStep } from './task.js';
import type { RequestOutcome } from './wire.js';

/**
 * One iteration: every step of the workflow in order (parallel groups
 * together, repeats repeated, waits waited), on one session of each
 * endpoint. Arguments with `{{steps.x…}}`, `{{vars.x}}` or `{{iteration}}`
 * (a repeat's index) are rendered per call against this iteration's own step values; a step's
 * expectations are evaluated on every call and tallied. The iteration fails
 * with its first failed call's outcome; each call's service time is recorded
 * under its step, and a sampled call carries a traceparent.
 */
export interface IterationContext {
  pools: Map<string, SessionPool>;
  recorder: Recorder;
  steps: IterationStep[];
  /** A unique JSON-RPC id (and trace-sampling decision) for each call. */
  nextId(): number;
  traceparentFor(id: number): string | undefined;
  /** The scenario's vars and the run's id, for references. */
  vars: Record<string, unknown>;
  runId: string;
  /** Keep each call's value for later steps' `{{steps.x…}}` (when any step has references). */
  keepValues: boolean;
  /** Where step expectations are counted (absent: not evaluated, e.g. during warm-up). */
  expectations?: ExpectationTally;
}

/** What a step's references see: this iteration's step values and, inside a repeat, the repeat's index. */
interface IterationScope {
  values: Map<string, unknown>;
  iteration?: number;
}

/** The scope of iterations whose steps reference nothing (never written: keepValues is false). */
const NO_VALUES: IterationScope = { values: new Map() };

/** One iteration; without `intendedUs` (closed loop) it is intended when it is sent. */
export async function runIteration(
  ctx: IterationContext,
  session: number,
  intendedUs?: number,
): Promise<void> {
  const sentUs = nowUs();
  const outcome = await runSteps(ctx, ctx.steps, session, ctx.keepValues ? { values: new Map() } : NO_VALUES);
  ctx.recorder.iteration(intendedUs ?? sentUs, sentUs, nowUs(), outcome);
}

async function runSteps(
  ctx: IterationContext,
  steps: IterationStep[],
  session: number,
  scope: IterationScope,
): Promise<RequestOutcome> {
  let first: RequestOutcome = { ok: true };
  const keep = (o: RequestOutcome) => {
    if (first.ok && !o.ok) first = o;
  };
  for (const s of steps) {
    if (s.kind === 'call') keep(await runCall(ctx, s, session, scope));
    else if (s.kind === 'wait') await sleep(s.ms);
    else if (s.kind === 'parallel') {
      for (const o of await Promise.all(s.steps.map((p) => runSteps(ctx, [p], session, scope)))) keep(o);
    } else
      for (let i = 0; i < s.times; i++)
        keep(await runSteps(ctx, s.steps, session, { ...scope, iteration: i }));
  }
  return first;
}

async function runCall(
  ctx: IterationContext,
  s: Extract<IterationStep, { kind: 'call' }>,
  session: number,
  scope: IterationScope,
): Promise<RequestOutcome> {
  let args = s.args;
  if (s.refs) {
    try {
      args = renderReferences(s.args, {
        steps: scope.values,
        vars: ctx.vars,
        iteration: scope.iteration,
        run: { id: ctx.runId },
      });
    } catch (e) {
      // Arguments that cannot be built fail the call without sending it (as in a scenario run).
      const failed: RequestOutcome = { ok: false, kind: 'transport', detail: 'arguments' };
      ctx.expectations?.add([
        {
          step: s.step,
          expectation: 'arguments',
          status: 'fail',
          expected: 'renderable',
          observed: (e as Error).message,
        },
      ]);
      return failed;
    }
  }
  const pool = ctx.pools.get(s.client) as SessionPool;
  const id = ctx.nextId();
  const traceparent = ctx.traceparentFor(id);
  const sentUs = nowUs();
  ctx.recorder.sent++;
  const outcome = await pool.call(session, s.tool, args, id, traceparent, s.refs);
  const doneUs = nowUs();
  ctx.recorder.step(s.step, sentUs, doneUs);
  if (traceparent)
    ctx.recorder.sample({ traceId: traceparent.slice(3, 35), step: s.step, sentUs, doneUs, ok: outcome.ok });
  if (ctx.keepValues || s.expect) {
    const o = callOutcomeOf(outcome);
    if (ctx.keepValues) scope.values.set(s.step, stepValue(o));
    if (s.expect && ctx.expectations)
      ctx.expectations.add(evaluateExpectations(s.step, s.logical, s.expect, o, doneUs - sentUs));
  }
  return outcome;
}
