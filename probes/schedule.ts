import { createHash } from 'node:crypto';

/** One scheduled job: a target and a module, every `intervalMs`. */
export interface ScheduledProbe {
  target: string;
  module: string;
  intervalMs: number;
}

export interface ScheduleOptions {
  /** Probes running at once; the rest wait their turn (at most one waiting per job). */
  concurrency: number;
  run(job: ScheduledProbe): Promise<void>;
  /** A tick came while the job's previous probe still ran (or waited): that tick is skipped. */
  onSkip(job: ScheduledProbe): void;
}

export interface Schedule {
  /** Stop ticking; resolves when the probes already running have finished. */
  stop(): Promise<void>;
}

/**
 * Every job ticks on its own fixed grid, offset by a hash of its name so 1,000 targets spread
 * over the interval instead of firing together. A job never overlaps itself, so what the
 * schedule holds is bounded by the number of jobs whatever the targets do.
 */
export function startSchedule(jobs: readonly ScheduledProbe[], options: ScheduleOptions): Schedule {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const busy = new Set<ScheduledProbe>();
  const waiting: ScheduledProbe[] = [];
  const running = new Set<Promise<void>>();

  const pump = () => {
    while (!stopped && running.size < options.concurrency && waiting.length > 0) {
      const job = waiting.shift() as ScheduledProbe;
      const p = options
        .run(job)
        .catch(() => {})
        .finally(() => {
          running.delete(p);
          busy.delete(job);
          pump();
        });
      running.add(p);
    }
  };
  const tick = (job: ScheduledProbe) => {
    if (stopped) return;
    if (busy.has(job)) options.onSkip(job);
    else {
      busy.add(job);
      waiting.push(job);
      pump();
    }
  };
  const at = (job: ScheduledProbe, delayMs: number, next: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      tick(job);
      // A fixed grid: the next tick does not drift by how long this one took.
      at(job, Math.max(0, next + job.intervalMs - Date.now()), next + job.intervalMs);
    }, delayMs);
    timers.add(t);
  };
  const now = Date.now();
  for (const job of jobs) {
    const offset = spread(`${job.target}\u0000${job.module}`, job.intervalMs);
    at(job, offset, now + offset);
  }
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      waiting.length = 0;
      await Promise.all(running);
    },
  };
}

/** A stable offset in [0, interval) from a job's name. */
function spread(key: string, intervalMs: number): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) % Math.max(1, Math.floor(intervalMs));
}
