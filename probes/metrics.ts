import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS_SECONDS } from '../harness/measure/prom.js';
import { PHASES, type ProbeResult } from './result.js';

/** The probe metric names (docs/probe.md); dashboards/metrics.ts reads the same names. */
export const PROBE_METRICS = {
  success: 'probe_success',
  duration: 'probe_duration_seconds',
  phase: 'mcp_probe_phase_duration_seconds',
  tools: 'mcp_probe_tools',
  toolsChanged: 'mcp_probe_tools_changed',
  catalogHash: 'mcp_probe_catalog_hash',
  errors: 'mcp_probe_errors_total',
  callDuration: 'mcp_probe_call_duration_seconds',
} as const;

export interface ProbeMetrics {
  /** Set the gauges of one probe's series and count its error and calls. */
  record(result: ProbeResult): void;
  /** Drop every series of a target (and module): a target removed by a reload leaves nothing behind. */
  forget(target: string, module?: string): Promise<void>;
}

const s = (us: number) => us / 1_000_000;

/**
 * The probe metrics on a registry: the daemon's long-lived one, or a fresh one per `/probe`
 * request. `labelNames` are the targets' own labels (from the config), added after target and module.
 */
export function createProbeMetrics(registry: Registry, labelNames: readonly string[] = []): ProbeMetrics {
  const base = ['target', 'module', ...labelNames];
  const registers = [registry];
  const gauge = (name: string, help: string, extra: string[] = []) =>
    new Gauge({ name, help, labelNames: [...base, ...extra], registers });
  const success = gauge(PROBE_METRICS.success, 'Whether the last probe of this target and module passed');
  const duration = gauge(PROBE_METRICS.duration, 'Wall time of the last probe, connect to close, in seconds');
  const phase = gauge(PROBE_METRICS.phase, 'Time of each phase of the last probe, in seconds', ['phase']);
  const tools = gauge(PROBE_METRICS.tools, 'Tools the target listed (every page)');
  const changed = gauge(
    PROBE_METRICS.toolsChanged,
    'Catalogue drift of the last probe: tools added + removed + schemas changed',
  );
  const hash = gauge(
    PROBE_METRICS.catalogHash,
    'First 32 bits of the SHA-256 of the canonical tool catalogue',
  );
  const errors = new Counter({
    name: PROBE_METRICS.errors,
    help: 'Failed probes by reason',
    labelNames: [...base, 'kind'],
    registers,
  });
  const calls = new Histogram({
    name: PROBE_METRICS.callDuration,
    help: 'Latency of each tool call a probe makes, in seconds',
    labelNames: base,
    buckets: DURATION_BUCKETS_SECONDS,
    registers,
  });
  const all = [success, duration, phase, tools, changed, hash, errors, calls];
  const labelsOf = (r: Pick<ProbeResult, 'target' | 'module' | 'labels'>) => {
    const out: Record<string, string> = { target: r.target, module: r.module };
    for (const n of labelNames) out[n] = r.labels[n] ?? '';
    return out;
  };
  return {
    record(r) {
      const l = labelsOf(r);
      success.set(l, r.success ? 1 : 0);
      duration.set(l, s(r.durationUs));
      for (const p of PHASES) {
        const us = r.phasesUs[p];
        if (us === undefined) phase.remove({ ...l, phase: p });
        else phase.set({ ...l, phase: p }, s(us));
      }
      if (r.tools !== undefined) tools.set(l, r.tools);
      if (r.changed !== undefined) changed.set(l, r.changed);
      if (r.catalogHash !== undefined) hash.set(l, r.catalogHash);
      if (!r.success && r.kind) errors.inc({ ...l, kind: r.kind });
      for (const us of r.callsUs) calls.observe(l, s(us));
    },
    async forget(target, module) {
      for (const m of all) {
        for (const v of (await m.get()).values) {
          const { le: _le, ...labels } = v.labels as Record<string, string>;
          if (labels.target === target && (module === undefined || labels.module === module)) {
            (m as Gauge).remove(labels);
          }
        }
      }
    },
  };
}
