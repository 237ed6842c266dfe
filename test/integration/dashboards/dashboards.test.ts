import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  allQueries,
  DASHBOARDS,
  RULE_TESTS_FILE,
  RULES_FILE,
  writeDashboards,
} from '../../../dashboards/index.js';
import { untestedAlerts } from '../../../dashboards/rule-tests.js';
import { ALERTING_RULES, RULE_GROUPS } from '../../../dashboards/rules.js';
import { ROOT, runCli } from '../../helpers/cli.js';
import { ensurePrometheus, promtool } from './prom-tools.js';

let dir: string;
let files: string[];

beforeAll(async () => {
  ensurePrometheus();
  dir = await mkdtemp(join(tmpdir(), 'mcp-dashboards-'));
  files = await writeDashboards(dir, { prometheusUrl: 'http://prom.example:9090' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generated dashboards', () => {
  it('writes one JSON model per dashboard with every panel querying the datasource variable', async () => {
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(DASHBOARDS.length);
    for (const spec of DASHBOARDS) {
      const model = JSON.parse(await readFile(join(dir, 'dashboards', `${spec.uid}.json`), 'utf8'));
      expect(model.uid).toBe(spec.uid);
      expect(model.templating.list[0]).toMatchObject({ type: 'datasource', name: 'datasource' });
      const panels = model.panels.filter((p: { type: string }) => p.type !== 'row');
      expect(panels.length).toBe(spec.rows.reduce((n, r) => n + r.panels.length, 0));
      for (const p of panels) {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.targets.length).toBeGreaterThan(0);
        for (const t of p.targets) expect(t.expr).toMatch(/\w/);
      }
    }
  });

  it('covers probe overview, CI conformance, load (marked as pending) and overhead per hop', async () => {
    const exprs = allQueries()
      .map((q) => q.expr)
      .join('\n');
    for (const metric of [
      'probe_success',
      'probe_duration_seconds',
      'mcp_probe_phase_duration_seconds',
      'mcp_probe_tools',
      'mcp_probe_tools_changed',
      'mcp_probe_catalog_hash',
      'mcp_probe_errors_total',
      'mcp_probe_call_duration_seconds_bucket',
      'mcp_harness_check_status',
      'mcp_harness_step_duration_seconds_bucket',
      'mcp_harness_overhead_seconds_bucket',
      'mcp_harness_downstream_duration_seconds_bucket',
      'mcp_harness_load_requests_total',
    ]) {
      expect(exprs).toContain(metric);
    }
    const load = JSON.parse(await readFile(join(dir, 'dashboards', 'mcp-load-run.json'), 'utf8'));
    for (const p of load.panels.filter((x: { type: string }) => x.type !== 'row')) {
      expect(p.description).toContain('mcp-harness load');
    }
    expect(
      allQueries()
        .filter((q) => q.pending)
        .every((q) => q.where.startsWith('mcp-load-run')),
    ).toBe(true);
  });

  it('provisions the datasource and a file provider for the dashboards', async () => {
    const ds = parse(await readFile(join(dir, 'provisioning/datasources/mcp-harness.yaml'), 'utf8'));
    expect(ds.datasources[0]).toMatchObject({
      type: 'prometheus',
      url: 'http://prom.example:9090',
      isDefault: true,
    });
    const prov = parse(await readFile(join(dir, 'provisioning/dashboards/mcp-harness.yaml'), 'utf8'));
    expect(prov.providers[0]).toMatchObject({
      type: 'file',
      options: { path: '/var/lib/grafana/dashboards/mcp-harness' },
    });
  });
});

describe('Prometheus rules', () => {
  it('pass promtool check rules', async () => {
    const r = await promtool(['check', 'rules', RULES_FILE], join(dir, 'prometheus'));
    expect(r.out).toContain(`SUCCESS: ${RULE_GROUPS.flatMap((g) => g.rules).length} rules found`);
    expect(r.code).toBe(0);
  });

  it('pass promtool test rules, with a unit test for every alert', async () => {
    expect(untestedAlerts()).toEqual([]);
    const r = await promtool(['test', 'rules', RULE_TESTS_FILE], join(dir, 'prometheus'));
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it.each(ALERTING_RULES.map((r) => r.alert))(
    'the unit test of %s fails when its alert is broken',
    async (alert) => {
      // The alert's expression inverted into one that never fires: its unit test must notice.
      const broken = join(dir, `broken-${alert}`);
      const groups = RULE_GROUPS.map((g) => ({
        ...g,
        rules: g.rules.map((r) =>
          'alert' in r && r.alert === alert ? { ...r, expr: `(${r.expr}) and on() vector(0) > 1` } : r,
        ),
      }));
      const tests = parse(await readFile(join(dir, 'prometheus', RULE_TESTS_FILE), 'utf8'));
      await rm(broken, { recursive: true, force: true });
      await writeDashboards(broken);
      await writeFile(join(broken, 'prometheus', RULES_FILE), stringify({ groups }));
      await writeFile(join(broken, 'prometheus', RULE_TESTS_FILE), stringify(tests));
      const r = await promtool(['test', 'rules', RULE_TESTS_FILE], join(broken, 'prometheus'));
      expect(r.code).not.toBe(0);
      expect(r.out).toContain(alert);
    },
  );
});

describe('mcp-harness dashboards', () => {
  it('writes the files it lists', async () => {
    const out = join(dir, 'cli');
    const r = await runCli(['dashboards', '--out', out], { cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const listed = r.stdout.trim().split('\n');
    expect(listed).toContain(join(out, 'prometheus', RULES_FILE));
    for (const f of listed) expect((await readFile(f, 'utf8')).length).toBeGreaterThan(10);
  });

  it('lists every bad flag with its path (exit 2)', async () => {
    const r = await runCli(['dashboards', '--prometheus-url', 'not a url', '--dashboards-path', ''], {
      cwd: ROOT,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out: expected a directory (missing)');
    expect(r.stderr).toContain('--prometheus-url:');
    expect(r.stderr).toContain('--dashboards-path:');
  });
});
