import { z } from 'zod';
import { METRICS as M } from './metrics.js';
import { ALERTING_RULES, renderTemplate } from './rules.js';

/** One `promtool test rules` case (its YAML shape). */
export const RuleTestSchema = z.object({
  name: z.string(),
  interval: z.string(),
  input_series: z.array(z.object({ series: z.string(), values: z.string() })),
  alert_rule_test: z.array(
    z.object({
      eval_time: z.string(),
      alertname: z.string(),
      exp_alerts: z.array(
        z.object({
          exp_labels: z.record(z.string(), z.string()),
          exp_annotations: z.record(z.string(), z.string()),
        }),
      ),
    }),
  ),
});
export type RuleTest = z.infer<typeof RuleTestSchema>;

/** The alert as promtool should see it: the rule's own labels plus the series', annotations rendered. */
function expected(alertname: string, labels: Record<string, string>) {
  const rule = ALERTING_RULES.find((r) => r.alert === alertname);
  if (!rule) throw new Error(`no alerting rule ${alertname}`);
  const all = { ...labels, ...rule.labels };
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations).map(([k, v]) => [k, renderTemplate(v, all)]),
  );
  return { exp_labels: all, exp_annotations: annotations };
}

const s = (metric: string, labels: Record<string, string>, values: string) => ({
  series: `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`,
  values,
});

/** gateway.iserror-preserved passes in the first pushed run and fails from the second on. */
const ISERROR_RUN: Record<string, string> = { pass: '1 0 0', fail: '0 1 1' };

/** One test per alert: it fires for the bad series only, and not before its `for` has passed. */
export const RULE_TESTS: RuleTest[] = [
  {
    name: 'McpProbeTargetDown fires after 2m of failed probes, for the failing target only',
    interval: '1m',
    input_series: [
      s(M.probeSuccess, { target: 'down', module: 'call' }, '0x6'),
      s(M.probeSuccess, { target: 'up', module: 'call' }, '1x6'),
      s(M.probeSuccess, { target: 'blip', module: 'call' }, '1 0 1 1 1 1 1'),
    ],
    alert_rule_test: [
      { eval_time: '1m', alertname: 'McpProbeTargetDown', exp_alerts: [] },
      {
        eval_time: '3m',
        alertname: 'McpProbeTargetDown',
        exp_alerts: [expected('McpProbeTargetDown', { target: 'down', module: 'call' })],
      },
    ],
  },
  {
    name: 'McpProbeLatencySLOBurn fires when every probed call is slower than the SLO threshold',
    interval: '1m',
    input_series: [
      s(`${M.probeCall}_bucket`, { target: 'slow', le: '1' }, '0x70'),
      s(`${M.probeCall}_bucket`, { target: 'slow', le: '+Inf' }, '0+10x70'),
      s(`${M.probeCall}_count`, { target: 'slow' }, '0+10x70'),
      s(`${M.probeCall}_bucket`, { target: 'fast', le: '1' }, '0+10x70'),
      s(`${M.probeCall}_bucket`, { target: 'fast', le: '+Inf' }, '0+10x70'),
      s(`${M.probeCall}_count`, { target: 'fast' }, '0+10x70'),
    ],
    alert_rule_test: [
      { eval_time: '1m', alertname: 'McpProbeLatencySLOBurn', exp_alerts: [] },
      {
        eval_time: '70m',
        alertname: 'McpProbeLatencySLOBurn',
        exp_alerts: [expected('McpProbeLatencySLOBurn', { target: 'slow' })],
      },
    ],
  },
  {
    name: 'McpCatalogueChanged fires on reported drift and on a catalogue hash change',
    interval: '1m',
    input_series: [
      s(M.probeToolsChanged, { target: 'drifted', module: 'tools' }, '0 0 1 1'),
      s(M.probeCatalogHash, { target: 'drifted', module: 'tools' }, '5x3'),
      s(M.probeToolsChanged, { target: 'rehashed', module: 'tools' }, '0x3'),
      s(M.probeCatalogHash, { target: 'rehashed', module: 'tools' }, '5 5 7 7'),
      s(M.probeToolsChanged, { target: 'stable', module: 'tools' }, '0x3'),
      s(M.probeCatalogHash, { target: 'stable', module: 'tools' }, '5x3'),
    ],
    alert_rule_test: [
      { eval_time: '1m', alertname: 'McpCatalogueChanged', exp_alerts: [] },
      {
        eval_time: '3m',
        alertname: 'McpCatalogueChanged',
        exp_alerts: [
          expected('McpCatalogueChanged', { target: 'drifted' }),
          expected('McpCatalogueChanged', { target: 'rehashed' }),
        ],
      },
    ],
  },
  {
    name: 'McpConformanceCheckFailing fires for the failing check of a pushed run only',
    interval: '1m',
    input_series: [
      ...['pass', 'fail', 'warn', 'skip', 'blocked'].flatMap((status) => [
        s(
          M.checkStatus,
          { job: 'ci', suite: 'gateway', check: 'gateway.iserror-preserved', status },
          ISERROR_RUN[status] ?? '0x2',
        ),
        s(
          M.checkStatus,
          { job: 'ci', suite: 'gateway', check: 'gateway.handshake', status },
          status === 'pass' ? '1x2' : '0x2',
        ),
      ]),
    ],
    alert_rule_test: [
      { eval_time: '0m', alertname: 'McpConformanceCheckFailing', exp_alerts: [] },
      {
        eval_time: '1m',
        alertname: 'McpConformanceCheckFailing',
        exp_alerts: [
          expected('McpConformanceCheckFailing', {
            job: 'ci',
            suite: 'gateway',
            check: 'gateway.iserror-preserved',
            status: 'fail',
          }),
        ],
      },
    ],
  },
];

/** Alerts without a unit test: must stay empty (the test suite checks it). */
export function untestedAlerts(): string[] {
  const tested = new Set(RULE_TESTS.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
  return ALERTING_RULES.map((r) => r.alert).filter((a) => !tested.has(a));
}
