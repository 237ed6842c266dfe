import { setMaxListeners } from 'node:events';
import { Registry } from 'prom-client';
import { isHarnessError } from '../harness/errors.js';
import { type LoadProbeConfigOptions, loadProbeConfig, type ProbeConfig } from './config.js';
import { createDaemonMetrics, type DaemonMetrics } from './daemon-metrics.js';
import { createProbeMetrics, PROBE_METRICS, type ProbeMetrics } from './metrics.js';
import { moduleSpec } from './modules/registry.js';
import type { ProbeResult } from './result.js';
import { runProbe } from './run-probe.js';
import { type Schedule, startSchedule } from './schedule.js';
import type { ProbeTarget } from './targets.js';

export interface ReloadOutcome {
  ok: boolean;
  /** Why the new config was refused (the old one is kept). */
  error?: string;
}

/**
 * The daemon's state: the config in force, the schedule probing it, the long-lived registry
 * (probe series + the daemon's health) and the last catalogue per target and module. A reload
 * swaps all of it at once, or nothing when the new config is invalid.
 */
export interface ProbeDaemonCore {
  readonly registry: Registry;
  config(): ProbeConfig;
  reload(): Promise<ReloadOutcome>;
  /** Run one probe outside the schedule (`/probe`); its result also counts in the daemon's health. */
  probe(target: ProbeTarget, module: string, configured: boolean, timeoutMs?: number): Promise<ProbeResult>;
  stop(): Promise<void>;
}

export async function startDaemonCore(
  file: string,
  options: LoadProbeConfigOptions & { schedule?: boolean; onResult?: (r: ProbeResult) => void } = {},
): Promise<ProbeDaemonCore> {
  let config = await loadProbeConfig(file, options);
  const registry = new Registry();
  const health: DaemonMetrics = createDaemonMetrics(registry);
  const stopping = new AbortController();
  // Every running probe listens to it (removed when the probe ends): as many as the concurrency.
  setMaxListeners(0, stopping.signal);
  const previous = new Map<string, unknown>();
  let labelNames = labelNamesOf(config);
  let metrics: ProbeMetrics = createProbeMetrics(registry, labelNames);
  let schedule: Schedule | undefined;
  /** Schedules a reload replaced, until their last probes end (stop waits for them too). */
  const retiring = new Set<Promise<void>>();

  const probe = async (target: ProbeTarget, module: string, keep: boolean, timeoutMs?: number) => {
    const spec = moduleSpec(module, config.modules);
    if (!spec) throw new Error(`unknown module ${module}`);
    health.inFlight.inc();
    try {
      const t = timeoutMs !== undefined && timeoutMs < target.timeoutMs ? { ...target, timeoutMs } : target;
      // Catalogues are kept for configured targets only: arbitrary allowed URLs would grow the store.
      const r = await runProbe(t, module, spec, {
        previous: keep ? previous : undefined,
        signal: stopping.signal,
      });
      health.probeDone(r.success);
      options.onResult?.(r);
      return r;
    } finally {
      health.inFlight.dec();
    }
  };
  const begin = () => {
    health.targets.set(config.targets.length);
    if (options.schedule === false) return;
    const byName = new Map(config.targets.map((t) => [t.name, t]));
    const jobs = config.targets.flatMap((t) =>
      t.modules.map((m) => ({ target: t.name, module: m, intervalMs: t.intervalMs })),
    );
    schedule = startSchedule(jobs, {
      concurrency: config.defaults.concurrency,
      onSkip: (j) => health.skipped(j.target, j.module),
      run: async (j) => {
        const target = byName.get(j.target);
        if (!target) return;
        const r = await probe(target, j.module, true);
        // A reload may have dropped this job while it ran: record only what is still configured.
        if (config.targets.some((t) => t.name === r.target && t.modules.includes(r.module)))
          metrics.record(r);
      },
    });
  };
  begin();

  return {
    registry,
    config: () => config,
    probe,
    async reload() {
      let next: ProbeConfig;
      try {
        next = await loadProbeConfig(file, options);
      } catch (e) {
        health.reloaded(false);
        return { ok: false, error: isHarnessError(e) ? e.render() : String(e) };
      }
      // Probes already running finish on their own (bounded by their timeout): a reload never waits for them.
      if (schedule) {
        const retired: Promise<void> = schedule.stop().finally(() => retiring.delete(retired));
        retiring.add(retired);
      }
      const keep = new Set(next.targets.flatMap((t) => t.modules.map((m) => `${t.name}\u0000${m}`)));
      for (const t of config.targets) {
        for (const m of t.modules) {
          if (!keep.has(`${t.name}\u0000${m}`)) await metrics.forget(t.name, m);
        }
      }
      for (const key of previous.keys()) if (!keep.has(key)) previous.delete(key);
      const names = labelNamesOf(next);
      if (names.join(',') !== labelNames.join(',')) {
        // The label set is part of each metric's definition: redefine the probe metrics.
        for (const name of PROBE_METRIC_NAMES) registry.removeSingleMetric(name);
        labelNames = names;
        metrics = createProbeMetrics(registry, labelNames);
      }
      config = next;
      health.reloaded(true);
      begin();
      return { ok: true };
    },
    async stop() {
      stopping.abort(new Error('the daemon is stopping'));
      await Promise.all([schedule?.stop(), ...retiring]);
    },
  };
}

const PROBE_METRIC_NAMES = Object.values(PROBE_METRICS);

/** Every label name a target of the config uses, sorted (one label set per metric). */
export function labelNamesOf(config: ProbeConfig): string[] {
  return [...new Set(config.targets.flatMap((t) => Object.keys(t.labels)))].sort();
}
