import type { Command } from 'commander';
import { HarnessError } from '../../errors.js';
import { REPORT_FORMATS } from '../../report/names.js';
import { parseDurationMs } from '../../schema/duration.js';

interface RunOptions {
  target?: string;
  reportDir: string;
  format: string[];
  timeout?: string;
  progress: boolean;
  otlp?: string;
  push?: string;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run scenario scripts against a target (default: a mesh over the scenario fleet)')
    .argument('<scenario...>', 'scenario files (YAML, JSON, or TS/JS modules exporting defineScenario)')
    .option('--target <file>', "target file; overrides each scenario's own target")
    .option('--report-dir <dir>', 'where json/junit/md reports are written', 'mcp-harness-report')
    .option(
      '--format <formats...>',
      `report formats, comma or space separated: ${REPORT_FORMATS.join(', ')}`,
      ['console'],
    )
    .option('--timeout <duration>', 'default step deadline, e.g. 5s (steps with their own timeout keep it)')
    .option('--no-progress', 'no live progress on stderr')
    .option(
      '--otlp <url>',
      'export spans and mcp.client.operation.duration over OTLP/HTTP (e.g. http://127.0.0.1:4318)',
    )
    .option('--push <url>', 'push step durations to this Prometheus Pushgateway (job mcp_harness_run)')
    .action(async (scenarios: string[], opts: RunOptions) => {
      const stepTimeoutMs =
        opts.timeout === undefined ? undefined : (parseDurationMs(opts.timeout) ?? Number.NaN);
      if (stepTimeoutMs !== undefined && !(stepTimeoutMs > 0)) {
        throw new HarnessError(
          'INVALID_ARGS',
          `--timeout: expected a duration such as 5s or 500ms, got '${opts.timeout}'`,
          {
            problems: [
              {
                path: '--timeout',
                message: `expected a duration such as 5s or 500ms, got '${opts.timeout}'`,
              },
            ],
          },
        );
      }
      const controller = new AbortController();
      const abort = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      // Loaded on use: `mock --stdio` (what a SUT spawns) should not pay for the whole harness.
      const { runScenarios } = await import('../../runner/run.js');
      const { appendStepSummary, renderMarkdown } = await import('../../report/markdown.js');
      const { withOtlp } = await import('../../measure/otlp.js');
      try {
        const { report, files } = await withOtlp(opts.otlp, (otlp) =>
          runScenarios(scenarios, {
            tracing: otlp?.tracing,
            onCallLog: otlp && ((records) => otlp.addCallLog(records)),
            target: opts.target,
            stepTimeoutMs,
            reportDir: opts.reportDir,
            formats: opts.format,
            stream: process.stdout,
            progress: opts.progress,
            signal: controller.signal,
          }),
        );
        for (const f of files) process.stderr.write(`report written: ${f}\n`);
        await appendStepSummary(renderMarkdown(report));
        if (opts.push) await (await import('../../../probes/push.js')).pushOrWarn(opts.push, report, 'run');
        setExit(report.exitCode);
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}
