import { LATENCY_SLO, METRICS as M } from './metrics.js';
import type { DashboardSpec } from './panel.js';

const T = 'target=~"$target"';
const RATE = '$__rate_interval';
const quantile = (q: number) =>
  `histogram_quantile(${q}, sum by (le, target) (rate(${M.probeCall}_bucket{${T}}[${RATE}])))`;

/** Synthetic probing of production: uptime and reachability per target, phase latencies, catalogue changes. */
export const probeOverview: DashboardSpec = {
  uid: 'mcp-probe-overview',
  title: 'MCP probes — overview',
  description: 'mcp-harness probe: uptime, phase latencies and tool-catalogue changes per target',
  variables: [{ name: 'target', metric: M.probeSuccess, label: 'target' }],
  rows: [
    {
      title: 'Uptime and reachability',
      panels: [
        {
          title: 'Uptime over the range',
          description: 'share of successful probes per target over the selected time range',
          kind: 'stat',
          unit: 'percentunit',
          greenFrom: LATENCY_SLO.objective,
          queries: [
            {
              expr: `avg by (target) (avg_over_time(${M.probeSuccess}{${T}}[$__range]))`,
              legend: '{{target}}',
            },
          ],
        },
        {
          title: 'Reachable now',
          description: '1 when every module of the target passed its last probe',
          kind: 'stat',
          greenFrom: 1,
          queries: [{ expr: `min by (target) (${M.probeSuccess}{${T}})`, legend: '{{target}}' }],
        },
        {
          title: 'Probe success',
          description: 'probe_success per target and module (blackbox-exporter compatible)',
          kind: 'timeseries',
          queries: [{ expr: `${M.probeSuccess}{${T}}`, legend: '{{target}} {{module}}' }],
        },
        {
          title: 'Probe duration',
          description: 'wall time of the whole probe',
          kind: 'timeseries',
          unit: 's',
          queries: [{ expr: `${M.probeDuration}{${T}}`, legend: '{{target}} {{module}}' }],
        },
      ],
    },
    {
      title: 'Latency',
      panels: [
        {
          title: 'Phase latency',
          description: 'connect, initialize, list and call phases of the last probe',
          kind: 'timeseries',
          unit: 's',
          queries: [
            { expr: `max by (target, phase) (${M.probePhase}{${T}})`, legend: '{{target}} {{phase}}' },
          ],
        },
        {
          title: 'Tool call latency',
          description: 'p50 / p95 / p99 of the probed tool calls',
          kind: 'timeseries',
          unit: 's',
          queries: [
            { expr: quantile(0.5), legend: '{{target}} p50' },
            { expr: quantile(0.95), legend: '{{target}} p95' },
            { expr: quantile(0.99), legend: '{{target}} p99' },
          ],
        },
        {
          title: 'Latency SLO burn rate',
          description: `how fast the error budget of "${LATENCY_SLO.objective * 100}% of calls under ${LATENCY_SLO.thresholdSeconds}s" burns (1 = exactly on budget; recording rules)`,
          kind: 'timeseries',
          queries: [
            {
              expr: `target:mcp_probe_call_slow:ratio_rate5m{${T}} / ${(1 - LATENCY_SLO.objective).toFixed(4)}`,
              legend: '{{target}} 5m',
            },
            {
              expr: `target:mcp_probe_call_slow:ratio_rate1h{${T}} / ${(1 - LATENCY_SLO.objective).toFixed(4)}`,
              legend: '{{target}} 1h',
            },
          ],
        },
        {
          title: 'Errors by kind',
          description: 'probe failures per reason (timeout, connect, protocol, tool error, expectation…)',
          kind: 'timeseries',
          queries: [
            {
              expr: `sum by (target, kind) (increase(${M.probeErrors}{${T}}[${RATE}]))`,
              legend: '{{target}} {{kind}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Tool catalogue',
      panels: [
        {
          title: 'Tools exposed',
          description: 'tools listed by the target (every page)',
          kind: 'timeseries',
          queries: [{ expr: `max by (target) (${M.probeTools}{${T}})`, legend: '{{target}}' }],
        },
        {
          title: 'Catalogue changes',
          description:
            'drift seen by the tools module (added / removed tools, changed schemas) and hash changes over the range',
          kind: 'timeseries',
          queries: [
            { expr: `max by (target) (${M.probeToolsChanged}{${T}})`, legend: '{{target}} drift' },
            {
              expr: `max by (target) (changes(${M.probeCatalogHash}{${T}}[$__range]))`,
              legend: '{{target}} hash changes',
            },
          ],
        },
      ],
    },
    {
      title: 'Probe daemon',
      panels: [
        {
          title: 'Probes per second',
          description: 'probes the daemon ran (schedule and /probe), by result',
          kind: 'timeseries',
          unit: 'ops',
          queries: [{ expr: `sum by (result) (rate(${M.daemonProbes}[${RATE}]))`, legend: '{{result}}' }],
        },
        {
          title: 'Probes in flight',
          description: 'probes running now; a steady climb means targets slower than their interval',
          kind: 'timeseries',
          queries: [{ expr: `sum(${M.daemonInFlight})`, legend: 'in flight' }],
        },
        {
          title: 'Config loaded',
          description: '1 when the last reload (SIGHUP, /-/reload) or the start loaded the config',
          kind: 'stat',
          greenFrom: 1,
          queries: [{ expr: `min(${M.daemonConfigOk})` }],
        },
      ],
    },
  ],
};
