import type { Command } from 'commander';
import { EXIT, HarnessError } from '../../errors.js';
import { REPORT_FORMATS } from '../../report/names.js';
import { VERSION } from '../../version.js';

interface CheckOptions {
  target?: string;
  list?: boolean;
  suite?: string[];
  only?: string[];
  expectedFailures?: string;
  reportDir: string;
  format: string[];
  progress: boolean;
}

export function registerCheck(program: Command, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('run conformance suites against a target (gateway, chain, mesh…)')
    .option('--target <file>', 'target file (YAML or JSON)')
    .option('--list', 'print every check (id, severity, title, expected, reference) as Markdown and exit')
    .option('--suite <suites...>', 'suites to run (default: those that fit the target pattern)')
    .option('--only <ids...>', 'only these check ids (or id prefixes ending in a dot)')
    .option('--expected-failures <file>', 'baseline of checks expected to fail (id: reason)')
    .option('--report-dir <dir>', 'where json/junit/md reports are written', 'mcp-harness-report')
    .option('--format <formats...>', `report formats: ${REPORT_FORMATS.join(', ')}`, ['console'])
    .option('--no-progress', 'no live progress on stderr')
    .action(async (opts: CheckOptions) => {
      // Loaded on use: `mock --stdio` (what a SUT spawns) should not pay for the whole harness.
      const { checksTable } = await import('../../checks/list.js');
      const { runChecks } = await import('../../checks/run-checks.js');
      const { createProgress } = await import('../../report/console.js');
      const { appendStepSummary, renderMarkdown } = await import('../../report/markdown.js');
      const { writeReports } = await import('../../report/registry.js');
      const { buildRunReport } = await import('../../schema/result.js');
      if (opts.list) {
        process.stdout.write(`${checksTable()}\n`);
        return;
      }
      if (!opts.target) {
        throw new HarnessError('INVALID_ARGS', 'check needs --target FILE', {
          problems: [{ path: '--target', message: 'expected a target file (missing)' }],
        });
      }
      const target = opts.target;
      const started = new Date();
      const t0 = performance.now();
      const controller = new AbortController();
      const abort = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      let progress: { tick(name: string, status?: string): void; stop(): void } | undefined;
      try {
        const run = await runChecks({
          target,
          suites: opts.suite?.flatMap((s) => s.split(',')),
          only: opts.only?.flatMap((s) => s.split(',')),
          expectedFailures: opts.expectedFailures,
          signal: controller.signal,
          onResult: (r) => {
            if (!opts.progress) return;
            progress ??= createProgress({ total: 0, stream: process.stderr, label: 'checks' });
            progress.tick(r.id, r.status);
          },
        });
        progress?.stop();
        const report = buildRunReport({
          version: VERSION,
          startedAt: started.toISOString(),
          durationMs: Math.round(performance.now() - t0),
          scenarios: [],
          checks: run.results,
          ...(run.error ? { exitCode: EXIT.unreachable } : {}),
        });
        const files = await writeReports(report, {
          dir: opts.reportDir,
          formats: opts.format,
          stream: process.stdout,
        });
        for (const f of files) process.stderr.write(`report written: ${f}\n`);
        if (run.error) process.stderr.write(`${run.error.message}\n`);
        await appendStepSummary(renderMarkdown(report));
        setExit(report.exitCode);
      } finally {
        progress?.stop();
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}
