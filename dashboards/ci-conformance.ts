import { METRICS as M } from './metrics.js';
import type { DashboardSpec } from './panel.js';

const S = 'suite=~"$suite"';

/**
 * CI runs pushed to a Pushgateway (`check --push`, `run --push`): each push replaces its group,
 * so panels read the last pushed run as it is (no rate over pushed values).
 */
export const ciConformance: DashboardSpec = {
  uid: 'mcp-ci-conformance',
  title: 'MCP conformance — CI',
  description: 'mcp-harness check / run results pushed from CI: check status and step durations',
  variables: [{ name: 'suite', metric: M.checkStatus, label: 'suite' }],
  rows: [
    {
      title: 'Checks',
      panels: [
        {
          title: 'Failing or blocked checks',
          description: 'checks whose current status is fail or blocked',
          kind: 'stat',
          queries: [{ expr: `count(${M.checkStatus}{${S}, status=~"fail|blocked"} == 1) or vector(0)` }],
        },
        {
          title: 'Passing checks',
          description: 'checks whose current status is pass',
          kind: 'stat',
          queries: [{ expr: `count(${M.checkStatus}{${S}, status="pass"} == 1) or vector(0)` }],
        },
        {
          title: 'Checks by status',
          description: 'how many checks of each suite have each status',
          kind: 'timeseries',
          queries: [
            { expr: `sum by (suite, status) (${M.checkStatus}{${S}})`, legend: '{{suite}} {{status}}' },
          ],
        },
        {
          title: 'Failing checks by id',
          description: 'one series per failing or blocked check',
          kind: 'timeseries',
          queries: [
            { expr: `${M.checkStatus}{${S}, status=~"fail|blocked"} == 1`, legend: '{{check}} {{status}}' },
          ],
        },
      ],
    },
    {
      title: 'Scenario steps',
      panels: [
        {
          title: 'Step duration p95',
          description: 'end-to-end duration of each scenario step in the last pushed run',
          kind: 'timeseries',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.95, sum by (le, scenario, step) (${M.stepDuration}_bucket))`,
              legend: '{{scenario}} {{step}}',
            },
          ],
        },
        {
          title: 'Steps by outcome',
          description: 'step executions by outcome (ok, isError, error, timeout…) in the last pushed run',
          kind: 'timeseries',
          queries: [{ expr: `sum by (outcome) (${M.stepDuration}_count)`, legend: '{{outcome}}' }],
        },
      ],
    },
  ],
};
