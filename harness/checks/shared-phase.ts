import type { Fleet } from '../../mocks/server/fleet.js';
import type { CheckResult } from '../schema/result.js';
import type { Endpoint, TargetSpec } from '../schema/target.js';
import { SUT } from '../target/target.js';
import { restoreFleet } from './fleet-state.js';
import { runOne } from './run-one.js';
import { lanes, openLane } from './schedule.js';
import { ensureAlive, type RunState, type Sut } from './sut.js';
import { createTranscript, transcriptRelay, withTranscript } from './transcript.js';
import { type Check, toResult } from './types.js';

/** One SUT behind one fleet: what a phase runs its checks against. */
export interface Instance {
  fleet: Fleet;
  /** The SUT (replaced when relaunched). */
  sut: { current: Sut };
  /** Launch/connect the SUT again, behind this fleet. */
  open: () => Promise<Sut>;
}

export interface SharedOutcome {
  /** Results of the checks that ran; to keep only when `survived`. */
  results: CheckResult[];
  /** Checks no lane could take (the SUT would not open another session): to run alone. */
  again: Check[];
  /** The SUT is the one the phase started with, as good as then. */
  survived: boolean;
  /** Why the SUT is gone (it could not be relaunched), when it is. */
  gone?: string;
}

/**
 * The shared phase on one instance: units of concurrent checks in
 * `concurrency` lanes, each lane on a session of its own (as good as the
 * main one, see openLane); then the fleet restored and the SUT's health
 * verified. Nothing is emitted here: a SUT that did not survive means one
 * of the checks broke it, and which one only running them alone tells.
 */
export async function sharedPhase(
  units: readonly Check[][],
  inst: Instance,
  run: {
    spec: TargetSpec;
    state: RunState;
    concurrency: number;
    timeoutMs: number;
    verbose?: boolean;
    signal?: AbortSignal;
  },
): Promise<SharedOutcome> {
  const { spec, state } = run;
  const replace = (s: Sut) => {
    inst.sut.current = s;
  };
  const base = { fleet: inst.fleet, spec, state, open: inst.open, replace, timeoutMs: run.timeoutMs };
  const endpoint = inst.sut.current.target.spec.endpoint as Endpoint;
  const mainTools = inst.sut.current.target.tools.get(SUT)?.length ?? 0;
  const results: CheckResult[] = [];
  const again: Check[] = [];
  await lanes(units, run.concurrency, {
    open: async () => {
      const relay = run.verbose ? transcriptRelay('session') : undefined;
      const session = await openLane(endpoint, spec.timeoutMs, mainTools, relay, spec.protocol, run.signal);
      return { session, relay, close: () => session.close() };
    },
    run: async (unit, lane) => {
      for (const c of unit) {
        if (run.signal?.aborted) return;
        if (!lane) {
          again.push(c); // the SUT would not open another session now: run it alone, on the main session
          continue;
        }
        const transcript = run.verbose ? createTranscript() : undefined;
        lane.relay?.use(transcript);
        const t0 = performance.now();
        const verdict = await runOne(c, {
          ...base,
          sut: inst.sut.current,
          ownSession: lane.session,
          transcript,
        });
        lane.relay?.use(undefined);
        results.push(withTranscript(toResult(c, verdict, performance.now() - t0), transcript));
      }
    },
  });
  await restoreFleet(inst.fleet);
  const before = inst.sut.current;
  const gone = await ensureAlive(before, inst.fleet, inst.open, replace);
  const survived = gone === undefined && inst.sut.current === before;
  return { results, again, survived, ...(gone !== undefined ? { gone } : {}) };
}
