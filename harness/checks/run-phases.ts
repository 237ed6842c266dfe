import type { Fleet } from '../../mocks/server/fleet.js';
import type { CheckResult } from '../schema/result.js';
import type { Endpoint, TargetSpec } from '../schema/target.js';
import { SUT } from '../target/target.js';
import { restoreFleet } from './fleet-state.js';
import { waitForDeadline } from './gateway/resilience-util.js';
import { runOne } from './run-one.js';
import { lanes, openLane, schedule, whyAlone } from './schedule.js';
import { ensureAlive, type RunState, type Sut } from './sut.js';
import { createTranscript, transcriptRelay, withTranscript } from './transcript.js';
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
}

/** A check the SUT kept from running is blocked, whatever its severity: nothing was verified. */
export function notRun(c: Check, why: string, by: string): CheckResult {
  return toResult(c, blocked(`not run: ${why}`, by), 0);
}

/**
 * Run the checks: those that may share the SUT together (`concurrency`
 * lanes, each with a session of its own that its checks use one after the
 * other), then the rest one at a time with the fleet restored and the
 * SUT's health verified after each. When the SUT does not survive the shared
 * phase, nothing of it is kept: the SUT is relaunched and those checks run
 * again one at a time, so the check that broke it is the one that fails.
 */
export async function runPhases(checks: readonly Check[], input: PhaseInput): Promise<void> {
  const { spec, fleet, state } = input;
  // Never cut the harness's wait for the target's deadline: a check makes up to three such calls.
  const timeoutMs = Math.max(input.checkTimeoutMs ?? 30_000, 3 * waitForDeadline(spec.deadlineMs) + 10_000);
  const routed = state.codeMode !== undefined || state.access !== undefined;
  const endpoint = input.sut.current.session ? input.sut.current.target.spec.endpoint : undefined;
  const plan = schedule(checks, whyAlone(input.concurrency, endpoint, routed) === undefined);
  const replace = (s: Sut) => {
    input.sut.current = s;
  };
  const base = { fleet, spec, state, open: input.open, replace, timeoutMs };

  const shared: CheckResult[] = [];
  const again: Check[] = [];
  const mainTools = input.sut.current.target.tools.get(SUT)?.length ?? 0;
  await lanes(plan.together, input.concurrency, {
    open: async () => {
      const relay = input.verbose ? transcriptRelay('session') : undefined;
      const session = await openLane(
        endpoint as Endpoint,
        spec.timeoutMs,
        mainTools,
        relay,
        spec.protocol,
        input.signal,
      );
      return { session, relay, close: () => session.close() };
    },
    run: async (unit, lane) => {
      for (const c of unit) {
        if (input.signal?.aborted) return;
        if (!lane) {
          again.push(c); // the SUT would not open another session now: run it alone, on the main session
          continue;
        }
        const transcript = input.verbose ? createTranscript() : undefined;
        lane.relay?.use(transcript);
        const t0 = performance.now();
        const verdict = await runOne(c, {
          ...base,
          sut: input.sut.current,
          ownSession: lane.session,
          transcript,
        });
        lane.relay?.use(undefined);
        shared.push(withTranscript(toResult(c, verdict, performance.now() - t0), transcript));
      }
    },
  });
  let alone = plan.alone;
  if (plan.together.length > 0) {
    await restoreFleet(fleet);
    const before = input.sut.current;
    // A relaunch (or a SUT that is gone) means one of them broke it: which one is what running them alone tells.
    const gone = await ensureAlive(before, fleet, input.open, replace);
    const survived = gone === undefined && input.sut.current === before;
    if (survived) for (const r of shared) input.emit(r);
    alone = [...(survived ? again : plan.together.flat()), ...plan.alone];
    if (gone !== undefined) {
      for (const c of alone) input.emit(notRun(c, `the SUT is gone (${gone})`, 'SUT gone'));
      return;
    }
  }
  await runAlone(alone, input, base, replace);
}

async function runAlone(
  checks: readonly Check[],
  input: PhaseInput,
  base: Omit<Parameters<typeof runOne>[1], 'sut'>,
  replace: (s: Sut) => void,
): Promise<void> {
  let gone: string | undefined;
  for (const c of checks) {
    if (input.signal?.aborted) break;
    if (gone) {
      input.emit(notRun(c, `the SUT is gone (${gone})`, 'SUT gone'));
      continue;
    }
    const transcript = input.verbose ? createTranscript() : undefined;
    const t0 = performance.now();
    const before = input.sut.current;
    const verdict = await runOne(c, { ...base, sut: before, transcript });
    input.emit(withTranscript(toResult(c, verdict, performance.now() - t0), transcript));
    await restoreFleet(input.fleet);
    // A SUT the check relaunched was opened in the state the check made (a backend down): never keep it.
    const relaunched = input.sut.current !== before;
    gone = await ensureAlive(input.sut.current, input.fleet, input.open, replace, relaunched);
  }
}
