import type { Fleet } from '../../mocks/server/fleet.js';
import type { CheckResult } from '../schema/result.js';
import type { TargetSpec } from '../schema/target.js';
import { restoreFleet } from './fleet-state.js';
import { waitForDeadline } from './gateway/resilience-util.js';
import { runOne } from './run-one.js';
import { schedule, whyAlone } from './schedule.js';
import { type Instance, type SharedOutcome, sharedPhase } from './shared-phase.js';
import { ensureAlive, type RunState, type Sut } from './sut.js';
import { createTranscript, withTranscript } from './transcript.js';
import { blocked, type Check, toResult } from './types.js';

/** What the phases of a run share: the SUT (replaced when relaunched), the fleet, the run's settings. */
export interface PhaseInput {
  spec: TargetSpec;
  fleet: Fleet;
  state: RunState;
  sut: { current: Sut };
  open: () => Promise<Sut>;
  concurrency: number;
  checkTimeoutMs?: number;
  /** Record each check's messages (CheckResult.transcript). */
  verbose?: boolean;
  emit: (r: CheckResult) => void;
  signal?: AbortSignal;
  /**
   * Start a second SUT behind a fleet of its own (see instance.ts): the
   * shared phase then runs on it while the other checks run one by one on
   * this one. Without it (or when it cannot start) the phases take turns.
   */
  another?: () => Promise<Instance & { close(): Promise<void> }>;
}

/** A check the SUT kept from running is blocked, whatever its severity: nothing was verified. */
export function notRun(c: Check, why: string, by: string): CheckResult {
  return toResult(c, blocked(`not run: ${why}`, by), 0);
}

/**
 * Run the checks: those that may share the SUT together (`concurrency`
 * lanes, each with a session of its own: shared-phase.ts), the rest one at
 * a time with the fleet restored and the SUT's health verified after each.
 * When the SUT does not survive the shared phase, nothing of it is kept: the
 * SUT is relaunched and those checks run again one at a time, so the check
 * that broke it is the one that fails. With `another`, the shared phase runs
 * on a second SUT and fleet at the same time as the checks that run alone.
 */
export async function runPhases(checks: readonly Check[], input: PhaseInput): Promise<void> {
  const { state } = input;
  const routed = state.codeMode !== undefined || state.access !== undefined;
  const endpoint = input.sut.current.session ? input.sut.current.target.spec.endpoint : undefined;
  const plan = schedule(checks, whyAlone(input.concurrency, endpoint, routed) === undefined);
  const run = { ...input, timeoutMs: timeoutOf(input) };
  if (plan.together.length === 0) return void (await runAlone(listed(plan.alone), input));
  if (input.another && plan.alone.length > 0) {
    // The shared phase on a second instance; its checks that must run again join the queue of this one.
    const shared = onAnother(plan.together, input.another, run);
    const rest = listed(plan.alone);
    let reruns: (() => Promise<Check | undefined>) | undefined;
    await runAlone(async () => {
      const c = await rest();
      if (c) return c;
      reruns ??= listed(kept(await shared, plan.together, input));
      return reruns();
    }, input);
    return;
  }
  const outcome = await sharedPhase(
    plan.together,
    { fleet: input.fleet, sut: input.sut, open: input.open },
    run,
  );
  if (outcome.gone !== undefined) {
    for (const c of [...plan.together.flat(), ...plan.alone])
      input.emit(notRun(c, `the SUT is gone (${outcome.gone})`, 'SUT gone'));
    return;
  }
  await runAlone(listed([...kept(outcome, plan.together, input), ...plan.alone]), input);
}

/** Never cut the harness's wait for the target's deadline: a check makes up to three such calls. */
function timeoutOf(input: PhaseInput): number {
  return Math.max(input.checkTimeoutMs ?? 30_000, 3 * waitForDeadline(input.spec.deadlineMs) + 10_000);
}

/** Emit what a surviving shared phase found; the checks to run alone (all of them when it did not survive). */
function kept(outcome: SharedOutcome, together: readonly Check[][], input: PhaseInput): Check[] {
  if (!outcome.survived) return together.flat();
  for (const r of outcome.results) input.emit(r);
  return outcome.again;
}

/** The shared phase on a second instance; one that cannot start leaves every check to run alone. */
async function onAnother(
  units: readonly Check[][],
  another: NonNullable<PhaseInput['another']>,
  run: Parameters<typeof sharedPhase>[2],
): Promise<SharedOutcome> {
  const none: SharedOutcome = { results: [], again: units.flat(), survived: true };
  const inst = await another().catch(() => undefined);
  if (!inst) return none;
  try {
    return await sharedPhase(units, inst, run);
  } finally {
    await inst.close().catch(() => {});
  }
}

const listed = (checks: readonly Check[]) => {
  let i = 0;
  return async () => checks[i++];
};

/**
 * One check at a time on the run's SUT, from `next` until it has none: after
 * each (when another follows) the fleet is restored and the SUT relaunched
 * unless it is as good as when it was opened.
 */
async function runAlone(next: () => Promise<Check | undefined>, input: PhaseInput): Promise<void> {
  const replace = (s: Sut) => {
    input.sut.current = s;
  };
  const base = { fleet: input.fleet, spec: input.spec, state: input.state, open: input.open, replace };
  const timeoutMs = timeoutOf(input);
  let gone: string | undefined;
  for (let c = await next(); c; ) {
    if (input.signal?.aborted) break;
    if (gone) {
      input.emit(notRun(c, `the SUT is gone (${gone})`, 'SUT gone'));
      c = await next();
      continue;
    }
    const transcript = input.verbose ? createTranscript() : undefined;
    const t0 = performance.now();
    const before = input.sut.current;
    const verdict = await runOne(c, { ...base, timeoutMs, sut: before, transcript });
    input.emit(withTranscript(toResult(c, verdict, performance.now() - t0), transcript));
    c = await next();
    if (!c) break; // nothing runs on it any more: the run closes it
    await restoreFleet(input.fleet);
    // A SUT the check relaunched was opened in the state the check made (a backend down): never keep it.
    const relaunched = input.sut.current !== before;
    gone = await ensureAlive(input.sut.current, input.fleet, input.open, replace, relaunched);
  }
}
