import { LOAD_METRICS as L } from './metrics.js';
import type { DashboardSpec } from './panel.js';

const T = 'target=~"$target"';
const RATE = '$__rate_interval';
const PENDING = 'reads metrics `mcp-harness load` will export; empty until it does';
const quantile = (q: number, metric: string) =>
  `histogram_quantile(${q}, sum by (le, target) (rate(${metric}_bucket{${T}}[${RATE}])))`;

/** A load run: throughput, response time (coordinated omission corrected) and service time. */
export const loadRun: DashboardSpec = {
  uid: 'mcp-load-run',
  title: 'MCP load run',
  description:
    'mcp-harness load: throughput, response and service time, concurrency (metrics of a later release)',
  variables: [{ name: 'target', metric: L.requests, label: 'target' }],
  rows: [
    {
      title: 'Load',
      panels: [
        {
          title: 'Throughput',
          description: 'completed requests per second by outcome',
          kind: 'timeseries',
          unit: 'reqps',
          pending: PENDING,
          queries: [
            {
              expr: `sum by (target, outcome) (rate(${L.requests}{${T}}[${RATE}]))`,
              legend: '{{target}} {{outcome}}',
            },
            { expr: `max by (target) (${L.targetRate}{${T}})`, legend: '{{target}} target rate' },
          ],
        },
        {
          title: 'Response time (from the intended start)',
          description: 'p50 / p99 measured from the schedule: coordinated omission corrected',
          kind: 'timeseries',
          unit: 's',
          pending: PENDING,
          queries: [
            { expr: quantile(0.5, L.responseTime), legend: '{{target}} p50' },
            { expr: quantile(0.99, L.responseTime), legend: '{{target}} p99' },
          ],
        },
        {
          title: 'Service time (from the actual send)',
          description: 'p50 / p99 measured from when the request was sent',
          kind: 'timeseries',
          unit: 's',
          pending: PENDING,
          queries: [
            { expr: quantile(0.5, L.serviceTime), legend: '{{target}} p50' },
            { expr: quantile(0.99, L.serviceTime), legend: '{{target}} p99' },
          ],
        },
        {
          title: 'In flight',
          description: 'requests sent and not answered yet',
          kind: 'timeseries',
          pending: PENDING,
          queries: [{ expr: `sum by (target) (${L.inflight}{${T}})`, legend: '{{target}}' }],
        },
      ],
    },
  ],
};
