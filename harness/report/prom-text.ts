import { Registry } from 'prom-client';
import { createPromSink } from '../measure/prom.js';
import type { RunReport } from '../schema/result.js';
import type { Reporter } from './reporter.js';

/**
 * A run's or check's results in the harness's Prometheus metric names: check
 * status, step durations and each step's overhead (end-to-end minus downstream). What `--push` sends to a Pushgateway and what
 * the `prom` format writes for node_exporter's textfile collector.
 */
export function reportRegistry(report: RunReport) {
  const sink = createPromSink();
  for (const c of report.checks) sink.setCheckStatus(c.suite, c.id, c.status);
  for (const s of report.scenarios) {
    for (const step of s.steps) {
      sink.observeStep(
        {
          scenario: s.scenario,
          step: step.name,
          target: s.target,
          pattern: s.pattern,
          outcome: step.outcome ?? step.status,
        },
        step.durationUs,
      );
      // Signed: a step the harness over-subtracted shows as a negative observation, not as 0.
      if (step.overheadUs !== undefined)
        sink.observeOverhead({ target: s.target, step: step.name }, step.overheadUs);
    }
  }
  return sink.registry;
}

/** The registry in the Prometheus text format (what the Pushgateway and the textfile collector read). */
export function promText(report: RunReport) {
  const registry = reportRegistry(report);
  registry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE as never);
  return { registry: registry as unknown as Registry, text: () => registry.metrics() };
}

/**
 * `--format prom`: `mcp-harness.prom` in the Prometheus text format (no
 * exemplars), for node_exporter's `--collector.textfile.directory`: copy or
 * write the report dir there and CI results show up next to the host's metrics.
 */
export const promReporter: Reporter = {
  name: 'prom',
  fileName: 'mcp-harness.prom',
  async render(report) {
    return promText(report).text();
  },
};
