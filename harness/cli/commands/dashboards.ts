import type { Command } from 'commander';
import { HarnessError, type Problem } from '../../errors.js';

interface DashboardsOptions {
  out?: string;
  prometheusUrl: string;
  dashboardsPath: string;
}

export function registerDashboards(program: Command): void {
  program
    .command('dashboards')
    .description('write Grafana dashboards, Grafana provisioning and Prometheus rules (+ rule tests)')
    .option('--out <dir>', 'directory to write into (created when missing)')
    .option(
      '--prometheus-url <url>',
      'the Prometheus the provisioned datasource points at',
      'http://localhost:9090',
    )
    .option(
      '--dashboards-path <dir>',
      'where Grafana will read the dashboard JSON (the provider path)',
      '/var/lib/grafana/dashboards/mcp-harness',
    )
    .action(async (opts: DashboardsOptions) => {
      const { ProvisioningOptionsSchema } = await import('../../../dashboards/provisioning.js');
      const { zodProblems } = await import('../../config/problems.js');
      const problems: Problem[] = [];
      if (!opts.out) problems.push({ path: '--out', message: 'expected a directory (missing)' });
      const parsed = ProvisioningOptionsSchema.safeParse({
        prometheusUrl: opts.prometheusUrl,
        dashboardsPath: opts.dashboardsPath,
      });
      if (!parsed.success) {
        const flag = { prometheusUrl: '--prometheus-url', dashboardsPath: '--dashboards-path' };
        for (const p of zodProblems(parsed.error)) {
          problems.push({ path: flag[p.path as keyof typeof flag] ?? p.path, message: p.message });
        }
      }
      if (problems.length || !opts.out || !parsed.success) {
        throw new HarnessError('INVALID_ARGS', `dashboards: ${problems.length} problem(s)`, { problems });
      }
      const { writeDashboards } = await import('../../../dashboards/index.js');
      for (const f of await writeDashboards(opts.out, parsed.data)) process.stdout.write(`${f}\n`);
    });
}
