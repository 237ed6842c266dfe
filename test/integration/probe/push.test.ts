import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunReport } from '../../../harness/schema/result.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { PUSH_JOBS, pushProbeResults, pushRunReport, runRound } from '../../../probes/index.js';
import { startFleet } from '../../helpers/mocks.js';
import { type PromProcess, startPushgateway } from '../dashboards/prom-processes.js';
import { ensurePrometheus } from '../dashboards/prom-tools.js';
import { config, endpointsOf, PROBE_FLEET } from './fixtures.js';

let fleet: Fleet;
let gateway: PromProcess;

beforeAll(async () => {
  ensurePrometheus();
  gateway = await startPushgateway();
  fleet = await startFleet(PROBE_FLEET, { only: ['web'] });
});
afterAll(async () => {
  await fleet?.stop();
  await gateway?.stop();
});

const pushed = async () => (await fetch(`${gateway.url}/metrics`)).text();

describe('push to a real Pushgateway', () => {
  it('one round: job mcp_harness_probe, one group per target, the probe series', async () => {
    const ep = endpointsOf(fleet);
    const cfg = await config({
      modules: { broken: { kind: 'call', tool: 'broken' } },
      targets: [
        {
          name: 'web',
          endpoint: ep.web,
          modules: ['handshake', 'broken'],
          labels: { env: 'ci' },
          timeout: '8s',
        },
        {
          name: 'down',
          endpoint: { transport: 'http', url: 'http://127.0.0.1:9/mcp' },
          modules: ['handshake'],
          timeout: '8s',
        },
      ],
    });
    const results = await runRound(cfg);
    await pushProbeResults(gateway.url, results);
    const text = await pushed();
    const series = (name: string, labels: Record<string, string>) =>
      text
        .split('\n')
        .find(
          (l) =>
            l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
        );
    expect(
      series('probe_success', { job: PUSH_JOBS.probe, target: 'web', module: 'handshake', env: 'ci' }),
    ).toMatch(/ 1$/);
    expect(series('probe_success', { job: PUSH_JOBS.probe, target: 'web', module: 'broken' })).toMatch(/ 0$/);
    expect(series('mcp_probe_errors_total', { target: 'web', module: 'broken', kind: 'tool_error' })).toMatch(
      / 1$/,
    );
    expect(series('probe_success', { job: PUSH_JOBS.probe, target: 'down', module: 'handshake' })).toMatch(
      / 0$/,
    );
    expect(series('mcp_probe_errors_total', { target: 'down', kind: 'connect' })).toMatch(/ 1$/);
  });

  it('a run report: check status and step durations', async () => {
    const report = buildRunReport({
      version: '0.1.0',
      startedAt: new Date().toISOString(),
      durationMs: 5,
      checks: [
        {
          id: 'gateway.handshake',
          title: 'handshake',
          suite: 'gateway',
          status: 'fail',
          severity: 'must',
          specRef: 'x',
          expected: 'a',
          observed: 'b',
          durationMs: 1,
        } as never,
      ],
      scenarios: [
        {
          scenario: 'triage',
          target: 'gw',
          pattern: 'gateway',
          status: 'pass',
          startedAt: new Date().toISOString(),
          durationMs: 2,
          steps: [
            {
              name: 'issue',
              kind: 'call',
              status: 'pass',
              durationUs: 1500,
              outcome: 'ok',
              expectations: [],
            },
          ],
          thresholds: [],
          histograms: [],
        },
      ],
    });
    await pushRunReport(gateway.url, report, PUSH_JOBS.check);
    const text = await pushed();
    expect(text).toMatch(
      /mcp_harness_check_status\{check="gateway.handshake",instance="",job="mcp_harness_check",status="fail",suite="gateway"\} 1/,
    );
    expect(text).toMatch(
      /mcp_harness_check_status\{check="gateway.handshake",instance="",job="mcp_harness_check",status="pass",suite="gateway"\} 0/,
    );
    expect(text).toMatch(
      /mcp_harness_step_duration_seconds_bucket\{instance="",job="mcp_harness_check",outcome="ok",pattern="gateway",scenario="triage",step="issue",target="gw",le="0.0025"\} 1/,
    );
  });

  it('an unreachable Pushgateway is a clear error', async () => {
    await expect(pushProbeResults('http://127.0.0.1:9', [])).resolves.toBeUndefined();
    const report = buildRunReport({
      version: '0',
      startedAt: new Date().toISOString(),
      durationMs: 0,
      checks: [],
      scenarios: [],
    });
    await expect(pushRunReport('http://127.0.0.1:9', report, PUSH_JOBS.run)).rejects.toThrow(
      /push to http:\/\/127.0.0.1:9 failed/,
    );
  });
});
