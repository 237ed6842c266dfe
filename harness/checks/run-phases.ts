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
   * this one. Without it (or when it cannot start) the phases take turns here.
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
 * on a second SUT and fleet while the other checks run one by one on this one.
 */
export async function runPhases(checks: readonly Check[], input: PhaseInput): Promise<void> {
  const { state } = input;
  const routed = state.codeMode !== undefined || state.access !== undefined;
  const endpoint = input.sut.current.session ? input.sut.current.target.spec.endpoint : undefined;
  const plan = schedule(checks, whyAlone(input.concurrency, endpoint, routed) === undefined);
  const run = { ...input, timeoutMs: timeoutOf(input) };
  const main: Instance = { fleet: input.fleet, sut: input.sut, open: input.open };
  if (input.another && plan.together.length > 0 && plan.alone.length > 0) {
    // Checks a broken shared phase leaves to run alone join the queue once it is over.
    const shared = onAnother(plan.together, input.another, run);
    const q = queue(plan.alone, () => shared.then((o) => kept(o, plan.together, input)));
    try {
      return await drain(q, await runAlone(q, main, input), input);
    } finally {
      await shared; // its instance is closed on every path (an aborted run too)
    }
  }
  if (plan.together.length > 0) {
    const outcome = await sharedPhase(plan.together, main, run);
    if (outcome.gone !== undefined)
      return drain(queue([...plan.together.flat(), ...plan.alone]), outcome.gone, input);
    const q = queue([...kept(outcome, plan.together, input), ...plan.alone]);
    return drain(q, await runAlone(q, main, input), input);
  }
  const q = queue(plan.alone);
  return drain(q, await runAlone(q, main, input), input);
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

/** Checks waiting to run alone: `later` (once, when the first ones are taken) adds more. */
interface Queue {
  take(): Promise<Check | undefined>;
  putBack(c: Check): void;
}

function queue(first: readonly Check[], later?: () => Promise<readonly Check[]>): Queue {
  const items = [...first];
  let more = later;
  return {
    async take() {
      if (items.length === 0 && more) {
        const m = more;
        more = undefined;
        items.push(...(await m()));
      }
      return items.shift();
    },
    putBack: (c) => void items.unshift(c),
  };
}

/** What no SUT could run any more is blocked, with the reason. */
async function drain(q: Queue, gone: string | undefined, input: PhaseInput): Promise<void> {
  if (gone === undefined || input.signal?.aborted) return;
  for (let c = await q.take(); c; c = await q.take())
    input.emit(notRun(c, `the SUT is gone (${gone})`, 'SUT gone'));
}

/**
 * Checks from the queue one at a time on one instance: after each (when
 * another follows) the fleet is restored and the SUT relaunched unless it is
 * as good as when it was opened. Returns why the SUT is gone when it could
 * not be brought back (the check it would have run next goes back to the queue).
 */
async function runAlone(q: Queue, inst: Instance, input: PhaseInput): Promise<string | undefined> {
  const replace = (s: Sut) => {
    inst.sut.current = s;
  };
  const base = { fleet: inst.fleet, spec: input.spec, state: input.state, open: inst.open, replace };
  const timeoutMs = timeoutOf(input);
  for (let c = await q.take(); c; ) {
    if (input.signal?.aborted) return undefined;
    const transcript = input.verbose ? createTranscript() : undefined;
    const t0 = performance.now();
    const before = inst.sut.current;
    const verdict = await runOne(c, { ...base, timeoutMs, sut: before, transcript });
    input.emit(withTranscript(toResult(c, verdict, performance.now() - t0), transcript));
    const next = await q.take();
    if (!next) return undefined; // nothing runs on it any more: the run closes it
    await restoreFleet(inst.fleet);
    // A SUT the check relaunched was opened in the state the check made (a backend down): never keep it.
    const relaunched = inst.sut.current !== before;
    const gone = await ensureAlive(inst.sut.current, inst.fleet, inst.open, replace, relaunched);
    if (gone !== undefined) {
      q.putBack(next);
      return gone;
    }
    c = next;
  }
  return undefined;
}
