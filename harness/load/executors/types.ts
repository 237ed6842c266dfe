import type { Problem } from '../../errors.js';
import type { ExecutorName, LoadOptions } from '../../schema/load.js';

/**
 * An executor decides when iterations start (k6's executors). Open-loop
 * executors fix each iteration's intended start on a schedule, whatever the
 * target does; closed-loop ones run a number of virtual users (sessions),
 * each starting its next iteration when the last one completes.
 */

/** One worker's part of the run: worker `index` of `count`. */
export interface Share {
  index: number;
  count: number;
}

/**
 * An open-loop schedule: the intended start (µs after the run's start) of
 * this share's n-th iteration (n = 0, 1, …), or undefined once the schedule
 * is over. Shares interleave, so together they make the whole schedule.
 */
export interface OpenSchedule {
  loop: 'open';
  durationUs: number;
  /** Total iterations per second the whole run asks for (all shares), at its peak. */
  peakRate: number;
  arrivalUs(n: number): number | undefined;
}

/** A closed loop: `vus` sessions of this share, each with one iteration in flight. */
export interface ClosedSchedule {
  loop: 'closed';
  durationUs: number;
  vus: number;
  /** Iterations per VU, then it stops (per-session-iterations); unbounded when absent. */
  iterations?: number;
}

export type Schedule = OpenSchedule | ClosedSchedule;

export interface Executor {
  name: ExecutorName;
  loop: 'open' | 'closed';
  /** Problems with the options for this executor (each with its option path). */
  validate(options: LoadOptions): Problem[];
  /** This share's schedule. Only called with options `validate` accepted. */
  schedule(options: LoadOptions, share: Share): Schedule;
}

/** The part of `total` (sessions, connections) worker `index` of `count` takes: spread as evenly as possible. */
export function shareOf(total: number, share: Share): number {
  return Math.floor(total / share.count) + (share.index < total % share.count ? 1 : 0);
}
