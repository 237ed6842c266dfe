import type { ProbeConfig } from './config.js';
import { moduleSpec } from './modules/registry.js';
import type { PreviousStore } from './modules/types.js';
import type { ProbeResult } from './result.js';
import { runProbe } from './run-probe.js';

export interface RoundOptions {
  updateSnapshots?: boolean;
  previous?: PreviousStore;
  signal?: AbortSignal;
  /** Each result as it arrives. */
  onResult?: (r: ProbeResult) => void;
}

/** One probe of every target with every module (`--once`), at most `defaults.concurrency` at a time. */
export async function runRound(config: ProbeConfig, options: RoundOptions = {}): Promise<ProbeResult[]> {
  const jobs = config.targets.flatMap((t) => t.modules.map((m) => ({ target: t, module: m })));
  const results: ProbeResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i]!;
      const spec = moduleSpec(job.module, config.modules)!;
      const r = await runProbe(job.target, job.module, spec, {
        previous: options.previous,
        updateSnapshots: options.updateSnapshots,
        signal: options.signal,
      });
      results[i] = r;
      options.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.defaults.concurrency, jobs.length) }, worker));
  return results;
}
