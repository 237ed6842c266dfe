import { z } from 'zod';
import { LATENCY_SLO, METRICS as M } from './metrics.js';

/** A Prometheus recording rule. */
export const RecordingRuleSchema = z.object({ record: z.string(), expr: z.string() });
/** A Prometheus alerting rule; annotations may use `{{ $labels.NAME }}` only (rule tests render them). */
export const AlertingRuleSchema = z.object({
  alert: z.string(),
  expr: z.string(),
  for: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
});
export const RuleGroupSchema = z.object({
  name: z.string(),
  interval: z.string().optional(),
  rules: z.array(z.union([RecordingRuleSchema, AlertingRuleSchema])),
});
export type RecordingRule = z.infer<typeof RecordingRuleSchema>;
export type AlertingRule = z.infer<typeof AlertingRuleSchema>;
export type RuleGroup = z.infer<typeof RuleGroupSchema>;

/** Share of probed calls slower than the SLO threshold over a window, per target. */
export function slowRatio(window: string): RecordingRule {
  const bucket = `${M.probeCall}_bucket{le="${LATENCY_SLO.thresholdSeconds}"}`;
  return {
    record: `target:mcp_probe_call_slow:ratio_rate${window}`,
    expr: `1 - (sum by (target) (rate(${bucket}[${window}])) / sum by (target) (rate(${M.probeCall}_count[${window}])))`,
  };
}

/** Budget burn fast enough to spend 2% of a 30-day budget in one hour (the usual fast-burn factor). */
const FAST_BURN = 14.4;
const BUDGET = Number((1 - LATENCY_SLO.objective).toFixed(6));

export const RECORDING_RULES: RecordingRule[] = [
  {
    record: 'target:probe_success:avg_over_time5m',
    expr: `avg by (target) (avg_over_time(${M.probeSuccess}[5m]))`,
  },
  {
    record: 'target:mcp_probe_call_duration_seconds:p95_5m',
    expr: `histogram_quantile(0.95, sum by (le, target) (rate(${M.probeCall}_bucket[5m])))`,
  },
  slowRatio('5m'),
  slowRatio('1h'),
];

export const ALERTING_RULES: AlertingRule[] = [
  {
    alert: 'McpProbeTargetDown',
    expr: `${M.probeSuccess} == 0`,
    for: '2m',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'MCP target {{ $labels.target }} fails its {{ $labels.module }} probe',
      description: 'probe_success has been 0 for 2 minutes for {{ $labels.target }} ({{ $labels.module }})',
    },
  },
  {
    alert: 'McpProbeLatencySLOBurn',
    expr:
      `target:mcp_probe_call_slow:ratio_rate5m > (${FAST_BURN} * ${BUDGET})` +
      ` and target:mcp_probe_call_slow:ratio_rate1h > (${FAST_BURN} * ${BUDGET})`,
    for: '2m',
    labels: { severity: 'warning' },
    annotations: {
      summary: 'MCP target {{ $labels.target }} burns its latency budget fast',
      description: `more than ${FAST_BURN}× the allowed share of probed calls over ${LATENCY_SLO.thresholdSeconds}s (SLO ${LATENCY_SLO.objective * 100}%) in the last 5m and 1h`,
    },
  },
  {
    alert: 'McpCatalogueChanged',
    expr: `max by (target) (${M.probeToolsChanged}) > 0 or max by (target) (changes(${M.probeCatalogHash}[10m])) > 0`,
    labels: { severity: 'info' },
    annotations: {
      summary: 'The tool catalogue of {{ $labels.target }} changed',
      description: 'tools were added or removed, or a schema changed, on {{ $labels.target }}',
    },
  },
  {
    alert: 'McpConformanceCheckFailing',
    expr: `${M.checkStatus}{status=~"fail|blocked"} == 1`,
    labels: { severity: 'warning' },
    annotations: {
      summary: 'Conformance check {{ $labels.check }} is {{ $labels.status }}',
      description:
        'suite {{ $labels.suite }}: check {{ $labels.check }} reported {{ $labels.status }} in the last pushed run',
    },
  },
];

export const RULE_GROUPS: RuleGroup[] = [
  { name: 'mcp-harness-recording', rules: RECORDING_RULES },
  { name: 'mcp-harness-alerts', rules: ALERTING_RULES },
];

/** Render an annotation template for given labels (only `{{ $labels.NAME }}` is used in these rules). */
export function renderTemplate(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}
