import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import type { CheckTargetFlags } from '../../init/check-target.js';
import { REPORT_FORMATS } from '../../report/names.js';
import { VERSION } from '../../version.js';

interface CheckOptions extends CheckTargetFlags {
  list?: boolean;
  suite?: string[];
  only?: string[];
  expectedFailures?: string;
  reportDir: string;
  format: string[];
  progress: boolean;
  otlp?: string;
  push?: string;
  verbose?: boolean;
  concurrency?: number;
  protocol?: string;
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
    .option('--otlp <url>', 'export a span per check over OTLP/HTTP (e.g. http://127.0.0.1:4318)')
    .option('--push <url>', 'push check status to this Prometheus Pushgateway (job mcp_harness_check)')
    .option(
      '--url <url>',
      'check the gateway at this URL (no target file; with --gateway-cmd: the URL it serves)',
    )
    .option(
      '--gateway-cmd <cmd>',
      'start the gateway with this command ({mcpServersFile}, {port}); no target file',
    )
    .option('--transport <t>', 'with --url/--gateway-cmd: http (default), sse or stdio')
    .option('--naming <rule>', 'with --url/--gateway-cmd: origin (default), identity, prefix or prefix:SEP')
    .option('--ready <signal>', 'with --gateway-cmd: handshake (default), log:REGEX or http:URL')
    .option('--fleet-at <url>', 'control API of a fleet already running (mcp-harness mock --port-base N)')
    .option(
      '--protocol <era>',
      'legacy (2025-11-25), modern (2026-07-28) or both (every suite twice, side by side); default: the target’s protocol',
    )
    .option('--verbose', "show each check's requests and answers under its result")
    .option(
      '--concurrency <n>',
      'checks that may share the SUT run this many at a time, each on its own session (default 2; 1: one at a time)',
      Number,
    )
    .action(async (opts: CheckOptions) => {
      // Loaded on use: `mock --stdio` (what a SUT spawns) should not pay for the whole harness.
      const { checksTable } = await import('../../checks/list.js');
      const { parseProtocolFlag, runChecksByEra } = await import('../../checks/eras-run.js');
      const { createProgress } = await import('../../report/console.js');
      const { appendStepSummary, renderMarkdown } = await import('../../report/markdown.js');
      const { writeReports } = await import('../../report/registry.js');
      const { buildRunReport } = await import('../../schema/result.js');
      if (opts.list) {
        process.stdout.write(`${checksTable()}\n`);
        return;
      }
      const { checkTargetOf } = await import('../../init/check-target.js');
      const target = checkTargetOf(opts);
      if (opts.protocol !== undefined) parseProtocolFlag(opts.protocol); // exit 2 before anything starts
      const { createOtlpExport } = await import('../../measure/otlp.js');
      const otlp = opts.otlp === undefined ? undefined : createOtlpExport({ url: opts.otlp });
      const checkSpans = otlp?.checkSpans(String(opts.target ?? opts.url ?? opts.gatewayCmd));
      const started = new Date();
      const t0 = performance.now();
      const controller = new AbortController();
      const abort = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      let progress: { tick(name: string, status?: string): void; stop(): void } | undefined;
      try {
        const run = await runChecksByEra({
          target,
          protocol: opts.protocol,
          suites: opts.suite?.flatMap((s) => s.split(',')),
          only: opts.only?.flatMap((s) => s.split(',')),
          expectedFailures: opts.expectedFailures,
          fleetAt: opts.fleetAt,
          verbose: opts.verbose,
          concurrency: opts.concurrency,
          signal: controller.signal,
          onResult: (r) => {
            checkSpans?.add(r);
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
        if (opts.push) await (await import('../../../probes/push.js')).pushOrWarn(opts.push, report, 'check');
        setExit(report.exitCode);
      } finally {
        progress?.stop();
        checkSpans?.end();
        await otlp?.shutdown();
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}
