import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ciConformance } from './ci-conformance.js';
import { loadRun } from './load-run.js';
import { overheadPerHop } from './overhead.js';
import { buildDashboard, type DashboardSpec, specQueries } from './panel.js';
import { probeOverview } from './probe-overview.js';
import {
  DATASOURCE_UID,
  dashboardProvisioning,
  datasourceProvisioning,
  type ProvisioningOptions,
} from './provisioning.js';
import { RULE_TESTS } from './rule-tests.js';
import { RULE_GROUPS } from './rules.js';

/** Every generated dashboard, one entry each. */
export const DASHBOARDS: readonly DashboardSpec[] = [probeOverview, ciConformance, loadRun, overheadPerHop];

export const RULES_FILE = 'mcp-harness.rules.yaml';
export const RULE_TESTS_FILE = 'mcp-harness.rules.test.yaml';

/** Every PromQL expression the dashboards and rules hold, with where it comes from. */
export interface QueryRef {
  where: string;
  expr: string;
  /** Set when the metrics it reads are not exported yet (e.g. by `load`). */
  pending?: string;
}

export function allQueries(): QueryRef[] {
  const panels = DASHBOARDS.flatMap((d) => specQueries(d));
  const rules = RULE_GROUPS.flatMap((g) =>
    g.rules.map((r) => ({ where: `rule ${'record' in r ? r.record : r.alert}`, expr: r.expr })),
  );
  return [...panels, ...rules];
}

/**
 * Replace Grafana's variables so an expression runs as-is against Prometheus: every template
 * variable matches everything, `$__rate_interval` and `$__range` become the given windows.
 */
export function expandGrafanaVariables(expr: string, windows = { rate: '1m', range: '5m' }): string {
  return expr
    .replaceAll('$__rate_interval', windows.rate)
    .replaceAll('$__range', windows.range)
    .replace(/=~"\$\w+"/g, '=~".*"');
}

/** Write dashboards, Grafana provisioning and Prometheus rules (+ their unit tests) under `outDir`. */
export async function writeDashboards(outDir: string, options: ProvisioningOptions = {}): Promise<string[]> {
  const files: Array<[string, string]> = [];
  for (const spec of DASHBOARDS) {
    files.push([
      join('dashboards', `${spec.uid}.json`),
      `${JSON.stringify(buildDashboard(spec), null, 2)}\n`,
    ]);
  }
  files.push([
    join('provisioning', 'datasources', 'mcp-harness.yaml'),
    stringify(datasourceProvisioning(options)),
  ]);
  files.push([
    join('provisioning', 'dashboards', 'mcp-harness.yaml'),
    stringify(dashboardProvisioning(options)),
  ]);
  files.push([join('prometheus', RULES_FILE), stringify({ groups: RULE_GROUPS })]);
  files.push([
    join('prometheus', RULE_TESTS_FILE),
    stringify({ rule_files: [RULES_FILE], evaluation_interval: '1m', tests: RULE_TESTS }),
  ]);
  const written: string[] = [];
  for (const [rel, text] of files) {
    const path = join(outDir, rel);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}

export { DATASOURCE_UID };
