import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { allQueries, expandGrafanaVariables, RULES_FILE, writeDashboards } from '../../dashboards/index.js';
import { createPromSink } from '../../harness/measure/prom.js';
import { runScenarios } from '../../harness/runner/run.js';
import { TargetSpecSchema } from '../../harness/schema/target.js';
import { referenceGatewayTarget } from '../../mocks/patterns/gateway/target.js';
import { createFleet, type Fleet } from '../../mocks/server/fleet.js';
import { PUSH_JOBS, pushRegistry } from '../../probes/push.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { type Child, startProbeDaemon, startReferenceGateway } from '../integration/dashboards/e2e-parts.js';
import {
  instantQuery,
  type PromProcess,
  startPrometheus,
  startPushgateway,
} from '../integration/dashboards/prom-processes.js';
import { ensurePrometheus } from '../integration/dashboards/prom-tools.js';

/**
 * Every PromQL expression of every generated panel and rule, evaluated by a real Prometheus
 * (1 s scrape, the generated rules loaded) scraping the probe daemon — one healthy reference
 * gateway, one whose backend is slow, failing and changes its catalogue — and a Pushgateway
 * holding a pushed `check` (with a failing check) and a pushed `run` through the reference gateway.
 */

let dir: string;
let fleet: Fleet | undefined;
const children: Array<Child | PromProcess> = [];
let prometheus: PromProcess;

beforeAll(async () => {
  ensurePrometheus();
  dir = await mkdtemp(join(tmpdir(), 'mcp-e2e-prom-'));
  const out = join(dir, 'out');
  await writeDashboards(out);

  fleet = createFleet({
    servers: [
      { name: 'a', transport: 'http', tools: [{ name: 'echo', result: { echo: true } }] },
      {
        name: 'b',
        transport: 'http',
        tools: [{ name: 'slow' }, { name: 'broken' }],
        faults: [
          { type: 'latency', ms: 1200, tools: ['slow'] },
          { type: 'tool-error', tools: ['broken'], message: 'backend down' },
        ],
      },
    ],
  });
  await fleet.start();
  const all = await fleet.writeMcpServersFile(join(dir, 'all.json'));
  const servers = JSON.parse(await readFile(all, 'utf8')).mcpServers;
  const healthyFile = join(dir, 'healthy.json');
  await writeFile(healthyFile, JSON.stringify({ mcpServers: { a: servers.a } }));
  const healthy = await startReferenceGateway(healthyFile);
  children.push(healthy);
  const faulty = await startReferenceGateway(all);
  children.push(faulty);

  const config = join(dir, 'probes.yaml');
  await writeFile(
    config,
    stringify({
      defaults: { interval: '1s', timeout: '900ms' },
      modules: {
        echo: { kind: 'call', tool: 'a__echo' },
        slow: { kind: 'call', tool: 'b__slow' },
        broken: { kind: 'call', tool: 'b__broken' },
      },
      targets: [
        {
          name: 'healthy',
          endpoint: { transport: 'http', url: healthy.url },
          modules: ['handshake', 'tools', 'echo'],
        },
        {
          name: 'faulty',
          endpoint: { transport: 'http', url: faulty.url },
          modules: ['tools', 'slow', 'broken'],
          interval: '2s',
          timeout: '1900ms',
        },
      ],
    }),
  );
  const daemon = await startProbeDaemon(config);
  children.push(daemon);
  const pushgateway = await startPushgateway();
  children.push(pushgateway);

  // CI runs pushed the way CI pushes them: a check with a failing check, a run through a gateway.
  const gwTarget = join(dir, 'gw.json');
  await writeFile(gwTarget, JSON.stringify(referenceGatewayTarget(['iserror-to-success'])));
  const check = await runCli(
    [
      'check',
      '--target',
      gwTarget,
      '--only',
      'gateway.handshake',
      'gateway.iserror-preserved',
      '--push',
      pushgateway.url,
      '--no-progress',
      '--report-dir',
      dir,
    ],
    { cwd: ROOT, timeout: 60_000 },
  );
  expect(check.code, check.stderr).toBe(1);
  // `run --push` pushes step durations only; the overhead panels need the runner's own sink
  // (overhead and downstream time from the mocks' call logs), pushed the same way.
  const sink = createPromSink();
  const { report } = await runScenarios(
    [
      {
        name: 'pushed',
        fleet: {
          servers: [
            {
              name: 'tracker',
              transport: 'http',
              tools: [{ name: 'get_issue' }],
              faults: [{ type: 'latency', ms: 5 }],
            },
          ],
        },
        steps: [
          { call: 'tracker.get_issue', args: { id: 1 } },
          { call: 'tracker.get_issue', args: { id: 2 } },
        ],
      },
    ],
    { target: TargetSpecSchema.parse(referenceGatewayTarget([], 3000)), prom: sink, formats: [] },
  );
  expect(report.exitCode, JSON.stringify(report.scenarios[0]?.steps)).toBe(0);
  sink.registry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE as never);
  await pushRegistry(pushgateway.url, sink.registry as unknown as Registry, PUSH_JOBS.run);

  const hostOf = (url: string) => new URL(url).host;
  prometheus = await startPrometheus({
    ruleFiles: [join(out, 'prometheus', RULES_FILE)],
    scrape: [
      { job_name: 'mcp-probe', static_configs: [{ targets: [hostOf(daemon.url)] }] },
      {
        job_name: 'pushgateway',
        honor_labels: true,
        static_configs: [{ targets: [hostOf(pushgateway.url)] }],
      },
      // The blackbox way: Prometheus drives one probe per scrape through /probe.
      {
        job_name: 'mcp-probe-blackbox',
        metrics_path: '/probe',
        params: { target: ['healthy'], module: ['echo'] },
        static_configs: [{ targets: [hostOf(daemon.url)] }],
      },
    ],
  });
  children.push(prometheus);
  // Once Prometheus holds the old catalogue's hash, change the catalogue: drift and a new hash.
  const deadline = Date.now() + 20_000;
  while ((await instantQuery(prometheus.url, 'mcp_probe_catalog_hash{target="faulty"}')).series === 0) {
    if (Date.now() > deadline) throw new Error(`no catalogue hash scraped in 20 s:\n${daemon.log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await fleet.mocks.get('b')?.addTool({ name: 'added_later' });
}, 120_000);

afterAll(async () => {
  for (const c of children.reverse()) await c.stop().catch(() => {});
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('generated panels and rules against a real Prometheus', () => {
  it('every expression of every panel and rule returns data', async () => {
    const queries = allQueries().filter((q) => !q.pending);
    const windows = { rate: '10s', range: '1m' };
    let missing: string[] = [];
    const deadline = Date.now() + 45_000;
    do {
      await new Promise((r) => setTimeout(r, 1000));
      missing = [];
      for (const q of queries) {
        const r = await instantQuery(prometheus.url, expandGrafanaVariables(q.expr, windows));
        if (!r.ok || r.series === 0) missing.push(`${q.where}: ${q.expr}${r.error ? ` (${r.error})` : ''}`);
      }
    } while (missing.length > 0 && Date.now() < deadline);
    expect(missing, `no data after 45 s:\n${missing.join('\n')}\n${prometheus.log().slice(-2000)}`).toEqual(
      [],
    );
  }, 90_000);

  it('the blackbox-style /probe scrape feeds the same series', async () => {
    const expr = 'probe_success{job="mcp-probe-blackbox", target="healthy", module="echo"} == 1';
    const deadline = Date.now() + 10_000;
    let r = await instantQuery(prometheus.url, expr);
    while (r.series === 0 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 500));
      r = await instantQuery(prometheus.url, expr);
    }
    expect(r.series).toBe(1);
  });

  it('the load panels (metrics of `load`, not exported yet) are valid PromQL', async () => {
    const pending = allQueries().filter((q) => q.pending);
    expect(pending.length).toBeGreaterThan(0);
    for (const q of pending) {
      const r = await instantQuery(prometheus.url, expandGrafanaVariables(q.expr));
      expect(r.error, q.where).toBeUndefined();
    }
  });
});
