import { parentPort, workerData } from 'node:worker_threads';
import { isHarnessError } from '../errors.js';
import { nowUs } from '../measure/clock.js';
import { sleep } from '../runner/deadline.js';
import { driveClosed, driveOpen } from './driver.js';
import { EXECUTORS, executorFor } from './executors/registry.js';
import { type ExpectationCount, ExpectationTally } from './expectations.js';
import { type IterationContext, runIteration } from './iteration.js';
import { Recorder } from './recorder.js';
import { openSessions, type SessionPool } from './sessions.js';
import type { ControlMessage, DoneMessage, IterationStep, WorkerMessage, WorkerTask } from './task.js';

/**
 * One load worker (a worker thread, or the main thread when asked): opens
 * its sessions, runs its share of the executor's schedule, posts a tick at
 * the end of each second and a final message with its histograms.
 */
const WARM_UP_ITERATIONS = 5;
const WARM_UP_MS = 3_000;

export async function runWorker(
  task: WorkerTask,
  post: (m: WorkerMessage) => void,
  started: Promise<number>,
  signal: AbortSignal,
): Promise<void> {
  const executor = task.options.executor ? EXECUTORS[task.options.executor] : executorFor(task.options);
  const schedule = executor.schedule(task.options, task.share);
  const recorder = new Recorder(task.share.index, task.perStep);
  const sessions = schedule.loop === 'closed' ? schedule.vus : task.sessions;
  const pools = new Map<string, SessionPool>();
  let ticker: NodeJS.Timeout | undefined;
  try {
    for (const [key, endpoint] of Object.entries(task.endpoints)) {
      pools.set(
        key,
        await openSessions(endpoint, {
          count: sessions,
          protocol: task.protocol,
          timeoutMs: task.timeoutMs,
          connectTimeoutMs: task.connectTimeoutMs,
          hotPath: task.hotPath,
          connections: schedule.loop === 'closed' ? schedule.vus : Math.max(1, task.maxInFlight),
        }),
      );
    }
    let id = task.share.index * 1_000_000_000;
    const ctx: IterationContext = {
      pools,
      recorder,
      steps: task.steps,
      vars: task.vars,
      runId: task.tracePrefix,
      keepValues: hasRefs(task.steps),
      expectations: new ExpectationTally(),
      nextId: () => ++id,
      traceparentFor: (n) =>
        n % task.sampleEvery === 0
          ? `00-${task.tracePrefix}${n.toString(16).padStart(16, '0')}-${n.toString(16).padStart(16, '0')}-01`
          : undefined,
    };
    await warmUp(
      {
        ...ctx,
        recorder: new Recorder(task.share.index, false),
        expectations: undefined,
      },
      sessions,
    );
    post({ type: 'ready', worker: task.share.index });
    const startUs = await started;
    if (sessions === 0) return post(done(task, recorder, pools, []));
    // A tick at the end of every second of the run (from the shared start).
    let second = 0;
    const tick = () => {
      post(recorder.tick(second++));
      ticker = setTimeout(tick, Math.max(0, (startUs + (second + 1) * 1e6 - nowUs()) / 1000));
    };
    ticker = setTimeout(tick, Math.max(0, (startUs + 1e6 - nowUs()) / 1000));
    const hooks = {
      run: (session: number, intendedUs?: number) => runIteration(ctx, session, intendedUs),
      scheduled: () => {
        recorder.scheduled++;
      },
      drop: () => recorder.drop(),
      signal,
    };
    // Every worker's second 0 is the same second.
    await sleep(Math.max(0, (startUs - nowUs()) / 1000));
    if (schedule.loop === 'open') await driveOpen(schedule, startUs, task.maxInFlight, sessions, hooks);
    else await driveClosed(schedule, startUs, hooks);
    clearTimeout(ticker);
    post(recorder.tick(second));
    post(done(task, recorder, pools, ctx.expectations?.list() ?? []));
  } finally {
    clearTimeout(ticker);
    await Promise.allSettled([...pools.values()].map((p) => p.close()));
  }
}

/** A few iterations on every session before the start, so second 0 does not measure cold code and sockets. */
async function warmUp(ctx: IterationContext, sessions: number): Promise<void> {
  const until = Date.now() + WARM_UP_MS;
  await Promise.all(
    Array.from({ length: sessions }, async (_, session) => {
      for (let i = 0; i < WARM_UP_ITERATIONS && Date.now() < until; i++) await runIteration(ctx, session);
    }),
  );
}

/** Whether any call's arguments hold references (then every call's value is kept for later steps). */
function hasRefs(steps: readonly IterationStep[]): boolean {
  return steps.some((s) => (s.kind === 'call' ? s.refs : s.kind !== 'wait' && hasRefs(s.steps)));
}

function done(
  task: WorkerTask,
  r: Recorder,
  pools: Map<string, SessionPool>,
  expectations: ExpectationCount[],
): DoneMessage {
  const eras: Record<string, number> = {};
  for (const p of pools.values()) for (const e of p.eras) eras[e] = (eras[e] ?? 0) + 1;
  return {
    type: 'done',
    worker: task.share.index,
    scheduled: r.scheduled,
    sent: r.sent,
    completed: r.completed,
    dropped: r.dropped,
    errors: r.errors,
    histograms: r.histograms.encode(),
    samples: r.samples,
    eras,
    expectations,
  };
}

// As a worker thread: run the task from workerData; `stop` from the parent aborts it.
if (parentPort && (workerData as { loadTask?: WorkerTask } | undefined)?.loadTask) {
  const port = parentPort;
  const ac = new AbortController();
  let start: (us: number) => void = () => {};
  const started = new Promise<number>((resolve, reject) => {
    start = resolve;
    ac.signal.addEventListener('abort', () => reject(new Error('stopped before the start')), { once: true });
  });
  started.catch(() => {});
  port.on('message', (m: ControlMessage) => {
    if (m.type === 'start') start(m.startUs);
    else ac.abort();
  });
  runWorker((workerData as { loadTask: WorkerTask }).loadTask, (m) => port.postMessage(m), started, ac.signal)
    .catch((e) =>
      port.postMessage({
        type: 'failed',
        worker: (workerData as { loadTask: WorkerTask }).loadTask.share.index,
        message: isHarnessError(e) ? e.message : String((e as Error)?.stack ?? e),
        ...(isHarnessError(e) ? { code: e.code } : {}),
      } satisfies WorkerMessage),
    )
    .finally(() => port.close());
}
