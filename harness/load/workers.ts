import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../mocks/server/package-root.js';
import { HarnessError } from '../errors.js';
import { nowUs } from '../measure/clock.js';
import { LatencyHistogram } from '../measure/histogram.js';
import type { LoadSecond } from '../schema/load.js';
import {
  addErrors,
  type ControlMessage,
  type DoneMessage,
  emptyErrors,
  type TickMessage,
  type WorkerMessage,
  type WorkerTask,
} from './task.js';

/**
 * Run the workers (worker threads, each with its share of the run) and merge
 * what they post: ticks into one `LoadSecond` per second of the run (emitted
 * once every worker has reported that second), and their final messages.
 */
export interface WorkersResult {
  done: DoneMessage[];
  seconds: LoadSecond[];
  /** The shared start (harness clock, µs), once every worker had its sessions open. */
  startUs: number;
}

/** Workers start together this long after the last one is ready. */
const START_DELAY_US = 50_000;

export async function runWorkers(
  tasks: WorkerTask[],
  hooks: { onSecond?: (s: LoadSecond) => void; onStart?: (startUs: number) => void; signal?: AbortSignal },
): Promise<WorkersResult> {
  const script = workerScript();
  const merger = new SecondMerger(tasks.length, hooks.onSecond);
  const done: DoneMessage[] = [];
  const failures: string[] = [];
  const workers = tasks.map((task) => new Worker(script, { workerData: { loadTask: task } }));
  const send = (m: ControlMessage) => {
    for (const w of workers) w.postMessage(m);
  };
  const stopAll = () => send({ type: 'stop' });
  let ready = 0;
  let startUs = 0;
  hooks.signal?.addEventListener('abort', stopAll, { once: true });
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.on('message', (m: WorkerMessage) => {
              if (m.type === 'ready') {
                if (++ready === workers.length && failures.length === 0) {
                  startUs = nowUs() + START_DELAY_US;
                  hooks.onStart?.(startUs);
                  send({ type: 'start', startUs });
                }
              } else if (m.type === 'tick') merger.add(m);
              else if (m.type === 'done') done.push(m);
              else {
                failures.push(m.message);
                stopAll();
              }
            });
            w.on('error', (e) => {
              failures.push(e.message);
              stopAll();
            });
            w.on('exit', () => resolve());
          }),
      ),
    );
  } finally {
    hooks.signal?.removeEventListener('abort', stopAll);
    await Promise.allSettled(workers.map((w) => w.terminate()));
  }
  if (failures.length > 0 && done.length < tasks.length)
    throw new HarnessError(
      'SUT_UNREACHABLE',
      `load workers could not run: ${[...new Set(failures)].join('; ')}`,
    );
  return { done, seconds: merger.flush(), startUs };
}

/** The compiled worker: next to this file when running from dist/, else dist/ of the package. */
function workerScript(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = join(packageRoot(), 'dist', 'harness', 'load', 'worker.js');
  if (!existsSync(built))
    throw new HarnessError('INTERNAL', `the load worker is not built (${built}): run npm run build`);
  return built;
}

interface Pending {
  reported: number;
  second: LoadSecond;
  hist: LatencyHistogram;
}

class SecondMerger {
  private readonly bySecond = new Map<number, Pending>();
  private readonly out: LoadSecond[] = [];
  private next = 0;

  constructor(
    private readonly workers: number,
    private readonly onSecond: ((s: LoadSecond) => void) | undefined,
  ) {}

  add(t: TickMessage): void {
    let p = this.bySecond.get(t.second);
    if (!p) {
      p = { reported: 0, hist: LatencyHistogram.create(), second: emptySecond(t.second) };
      this.bySecond.set(t.second, p);
    }
    p.reported++;
    p.second.requests += t.requests;
    p.second.ok += t.ok;
    p.second.dropped += t.dropped;
    addErrors(p.second.errors, t.errors);
    p.hist.merge(LatencyHistogram.decode(t.hdr));
    while (this.bySecond.get(this.next)?.reported === this.workers) this.emit(this.next);
  }

  flush(): LoadSecond[] {
    for (const s of [...this.bySecond.keys()].sort((a, b) => a - b)) if (s >= this.next) this.emit(s);
    return this.out;
  }

  private emit(second: number): void {
    const p = this.bySecond.get(second) as Pending;
    this.bySecond.delete(second);
    p.second.responseP50Us = p.hist.percentile(50);
    p.second.responseP99Us = p.hist.percentile(99);
    this.out.push(p.second);
    this.next = second + 1;
    this.onSecond?.(p.second);
  }
}

function emptySecond(second: number): LoadSecond {
  return {
    second,
    requests: 0,
    ok: 0,
    dropped: 0,
    errors: emptyErrors(),
    responseP50Us: 0,
    responseP99Us: 0,
  };
}
