import cliProgress from 'cli-progress';
import { errorTotal } from '../load/task.js';
import type { LoadSecond } from '../schema/load.js';
import type { OutputStream } from './console.js';
import { formatDuration } from './format.js';

/** Live progress of a load test, fed one LoadSecond at a time. Always call stop(). */
export interface LoadProgress {
  second(s: LoadSecond): void;
  stop(): void;
}

function describeSecond(s: LoadSecond): string {
  const errors = errorTotal(s.errors);
  return (
    `${s.requests} req/s · p50 ${formatDuration(s.responseP50Us)} · p99 ${formatDuration(s.responseP99Us)}` +
    ` · errors ${errors} · dropped ${s.dropped}`
  );
}

/**
 * A cli-progress bar over the run's seconds on a TTY; on anything else (CI
 * logs) one plain line per second: `[ 3s/30s] 498 req/s · p50 … · p99 …`.
 */
export function createLoadProgress(options: { totalSeconds: number; stream?: OutputStream }): LoadProgress {
  const stream = options.stream ?? process.stderr;
  const total = Math.max(1, Math.ceil(options.totalSeconds));
  if (stream.isTTY !== true) {
    const width = String(total).length;
    return {
      second(s) {
        stream.write(`[${String(s.second + 1).padStart(width)}s/${total}s] ${describeSecond(s)}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'load {bar} {value}/{total} s  {line}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { line: '' });
  let stopped = false;
  return {
    second(s) {
      if (!stopped) bar.update(Math.min(total, s.second + 1), { line: describeSecond(s) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
