import { METRICS as M } from './metrics.js';
import type { DashboardSpec } from './panel.js';

const T = 'target=~"$target"';
const q = (quantile: number, metric: string, by: string, filter = '') =>
  `histogram_quantile(${quantile}, sum by (le, ${by}) (${metric}_bucket${filter}))`;

/** Where the time goes per hop: the system under test's own share versus the downstream mocks'. */
export const overheadPerHop: DashboardSpec = {
  uid: 'mcp-overhead-per-hop',
  title: 'MCP overhead per hop',
  description: 'end-to-end minus downstream time per step and target, and downstream time per server',
  variables: [{ name: 'target', metric: M.overhead, label: 'target' }],
  rows: [
    {
      title: 'Overhead',
      panels: [
        {
          title: 'Overhead per step (p50, p95)',
          description: "the system under test's own time per step: end-to-end minus downstream",
          kind: 'timeseries',
          unit: 's',
          queries: [
            { expr: q(0.5, M.overhead, 'target, step', `{${T}}`), legend: '{{target}} {{step}} p50' },
            { expr: q(0.95, M.overhead, 'target, step', `{${T}}`), legend: '{{target}} {{step}} p95' },
          ],
        },
        {
          title: 'Overhead share of end-to-end time',
          description: 'summed overhead / summed step duration per target',
          kind: 'timeseries',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum by (target) (${M.overhead}_sum{${T}}) / sum by (target) (${M.stepDuration}_sum{${T}})`,
              legend: '{{target}}',
            },
          ],
        },
        {
          title: 'Mean step duration',
          description: 'mean end-to-end duration per target and step',
          kind: 'timeseries',
          unit: 's',
          queries: [
            {
              expr: `sum by (target, step) (${M.stepDuration}_sum{${T}}) / sum by (target, step) (${M.stepDuration}_count{${T}})`,
              legend: '{{target}} {{step}}',
            },
          ],
        },
        {
          title: 'Downstream time per server (p95)',
          description: 'time spent in each mock, from its call log',
          kind: 'timeseries',
          unit: 's',
          queries: [{ expr: q(0.95, M.downstreamDuration, 'server, tool'), legend: '{{server}} {{tool}}' }],
        },
      ],
    },
  ],
};
