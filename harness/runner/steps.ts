import type { MockHandle } from '../../mocks/server/handle.js';
import { nowUs } from '../measure/clock.js';
import type { StepResult } from '../schema/result.js';
import { executeCall } from './call.js';
import type { ExecContext, StepScope } from './context.js';
import { DeadlineError, deadlineSignal, raceSignal, sleep } from './deadline.js';
import { clip } from './outcome.js';
import type { PlannedStep } from './plan-types.js';

/**
 * Walk the step tree. Steps run in order; a failed step does not stop the
 * scenario (later steps that reference its result are skipped by
 * executeCall). Group steps (parallel, repeat) get a result of their own that
 * fails only for their own deadline: their children carry their own verdicts.
 */
export async function executeSteps(
  steps: readonly PlannedStep[],
  ctx: ExecContext,
  scope: StepScope,
): Promise<void> {
  for (const step of steps) {
    if (scope.signal.aborted) return;
    await executeStep(step, ctx, scope);
  }
}

async function executeStep(step: PlannedStep, ctx: ExecContext, scope: StepScope): Promise<void> {
  if (step.kind === 'call') {
    await executeCall(step, ctx, scope);
    return;
  }
  const name = step.name + scope.suffix;
  const t0 = nowUs();
  const deadline = deadlineSignal(scope.signal, step.timeoutMs, `${step.kind} step '${name}'`);
  const inner: StepScope = { ...scope, signal: deadline.signal };
  let reason: string | undefined;
  try {
    switch (step.kind) {
      case 'parallel':
        await Promise.all(step.steps.map((s) => executeStep(s, ctx, { ...inner, concurrent: true })));
        break;
      case 'repeat':
        for (let i = 1; i <= step.times && !deadline.signal.aborted; i++) {
          await executeSteps(step.steps, ctx, { ...inner, iteration: i, suffix: `${scope.suffix}[${i}]` });
        }
        break;
      case 'wait':
        await sleep(step.ms, deadline.signal);
        break;
      default:
        await raceSignal(mockAction(step, ctx), deadline.signal);
    }
  } catch (e) {
    reason = e instanceof DeadlineError ? e.message : clip((e as Error)?.message ?? String(e), 400);
  } finally {
    deadline.done();
  }
  // A group whose deadline passed while its children were still running fails with that reason.
  if (!reason && deadline.signal.aborted && deadline.signal.reason instanceof DeadlineError) {
    reason = deadline.signal.reason.message;
  }
  const result: StepResult = {
    name,
    kind: step.kind,
    status: reason ? 'fail' : 'pass',
    durationUs: nowUs() - t0,
    ...(reason ? { reason } : {}),
    expectations: [],
  };
  ctx.results.push(result);
  ctx.onStep?.(result);
}

/** fault / restart / kill: act on a fleet mock through its handle. */
async function mockAction(
  step: Extract<PlannedStep, { kind: 'fault' | 'restart' | 'kill' }>,
  ctx: ExecContext,
): Promise<void> {
  const server = step.kind === 'fault' ? step.fault.server : step.server;
  const mock = ctx.fleet?.mocks.get(server);
  if (!mock) throw new Error(`no running fleet server '${server}'`);
  if (step.kind === 'restart') return mock.restart();
  if (step.kind === 'kill') return mock.kill();
  if (step.kind === 'fault') return applyFault(mock, step.fault);
}

async function applyFault(
  mock: MockHandle,
  f: Extract<PlannedStep, { kind: 'fault' }>['fault'],
): Promise<void> {
  if (f.add) {
    await mock.addFault(f.add);
    return;
  }
  if (f.clear) {
    await mock.resetFaults();
    return;
  }
  if (f.remove && !(await mock.removeFault(f.remove))) {
    throw new Error(
      `${mock.name} has no fault with id '${f.remove}' (has: ${
        mock
          .listFaults()
          .map((x) => x.id)
          .join(', ') || 'none'
      })`,
    );
  }
}
