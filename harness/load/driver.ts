import { nowUs } from '../measure/clock.js';
import type { ClosedSchedule, OpenSchedule } from './executors/types.js';

/**
 * The loops that start iterations. Open loop: each iteration starts at its
 * intended time whatever the target does; one that would exceed max-in-flight
 * is dropped (counted), never sent late in a bunch. Timers tick in whole
 * milliseconds, so at more than 1,000 per second a tick sends every arrival
 * that has come due since the last one (at most ~1 ms after its intended
 * start, which its response time includes). Closed loop: each VU
 * starts its next iteration when the last completes. Both stop at the
 * schedule's end (or the signal) and wait for what is in flight.
 */
export interface DriverHooks {
  /** Start an iteration intended at `intendedUs` (harness clock; closed loop: when it is sent) on `session`. */
  run(session: number, intendedUs?: number): Promise<void>;
  scheduled(): void;
  drop(): void;
  signal: AbortSignal;
}

export async function driveOpen(
  schedule: OpenSchedule,
  startUs: number,
  maxInFlight: number,
  sessions: number,
  hooks: DriverHooks,
): Promise<void> {
  let n = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  let next = schedule.arrivalUs(0);
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    hooks.signal.addEventListener('abort', stop, { once: true });
    const pump = () => {
      const now = nowUs() - startUs;
      while (next !== undefined && next <= now && !hooks.signal.aborted) {
        hooks.scheduled();
        if (inFlight >= maxInFlight) hooks.drop();
        else {
          inFlight++;
          const p = hooks.run(n % sessions, startUs + next).finally(() => {
            inFlight--;
            pending.delete(p);
          });
          pending.add(p);
        }
        n++;
        next = schedule.arrivalUs(n);
      }
      if (next === undefined || hooks.signal.aborted) {
        hooks.signal.removeEventListener('abort', stop);
        return stop();
      }
      // Timers tick in whole milliseconds: every tick sends all that have come due (each keeps its
      // intended start), rather than spinning on setImmediate for arrivals less than 1 ms apart.
      const waitMs = (next - (nowUs() - startUs)) / 1000;
      timer = setTimeout(pump, Math.max(1, Math.floor(waitMs)));
    };
    pump();
  });
  await Promise.allSettled([...pending]);
}

export async function driveClosed(
  schedule: ClosedSchedule,
  startUs: number,
  hooks: DriverHooks,
): Promise<void> {
  const endUs = startUs + schedule.durationUs;
  const vu = async (session: number) => {
    for (let i = 0; schedule.iterations === undefined || i < schedule.iterations; i++) {
      if (nowUs() >= endUs || hooks.signal.aborted) return;
      hooks.scheduled();
      await hooks.run(session);
    }
  };
  await Promise.all(Array.from({ length: schedule.vus }, (_, i) => vu(i)));
}
