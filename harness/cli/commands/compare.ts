import type { Command } from 'commander';
import { EXIT, HarnessError } from '../../errors.js';
import { parseDurationMs } from '../../schema/duration.js';

interface CompareFlags {
  scenario?: string;
  targets?: string;
  iterations?: string;
  warmup?: string;
  fault?: string[];
  reportDir: string;
  format: string[];
  timeout?: string;
  progress: boolean;
}

export function registerCompare(program: Command, setExit: (code: number) => void): void {
  program
    .command('compare')
    .description(
      'run one workflow through several targets (mesh, gateway, chain) over one fleet, side by side',
    )
    .argument('[file]', 'compare file (scenarios/compare/*.yaml); or give --scenario and --targets')
    .option('--scenario <file>', 'the workflow scenario (overrides the file)')
    .option('--targets <list>', 'comma-separated: "mesh" or target files (overrides the file)')
    .option('--iterations <n>', 'measured workflows per target')
    .option('--warmup <n>', 'unmeasured workflows per target first')
    .option('--fault <server:fault...>', 'run the workflow once per target under this fault (repeatable)')
    .option('--report-dir <dir>', 'where json/html reports are written', 'mcp-harness-report')
    .option('--format <formats...>', 'console, json, html (comma or space separated)', ['console'])
    .option('--timeout <duration>', 'default step deadline, e.g. 5s')
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (file: string | undefined, opts: CompareFlags) => {
      const { runCompare } = await import('../../compare/run-compare.js');
      const { compareFormats, writeCompareReports } = await import('../../compare/report.js');
      compareFormats(opts.format);
      const stepTimeoutMs = opts.timeout === undefined ? undefined : parseDurationMs(opts.timeout);
      if (opts.timeout !== undefined && !(stepTimeoutMs && stepTimeoutMs > 0)) {
        const message = `expected a duration such as 5s or 500ms, got '${opts.timeout}'`;
        throw new HarnessError('INVALID_ARGS', `--timeout: ${message}`, {
          problems: [{ path: '--timeout', message }],
        });
      }
      if (!file && !opts.scenario) {
        const message = 'give a compare file, or --scenario and --targets';
        throw new HarnessError('INVALID_ARGS', message, { problems: [{ path: '(arguments)', message }] });
      }
      const controller = new AbortController();
      const abort = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        const result = await runCompare(file, {
          scenario: opts.scenario,
          targets: opts.targets?.split(',').map((t) => t.trim()),
          iterations: opts.iterations === undefined ? undefined : Number(opts.iterations),
          warmup: opts.warmup === undefined ? undefined : Number(opts.warmup),
          faults: opts.fault,
          stepTimeoutMs,
          signal: controller.signal,
          onProgress: opts.progress ? (line) => process.stderr.write(`${line}\n`) : undefined,
        });
        const files = await writeCompareReports(result, {
          dir: opts.reportDir,
          formats: opts.format,
          stream: process.stdout,
        });
        for (const f of files) process.stderr.write(`report written: ${f}\n`);
        const unreachable = result.patterns.some((p) => p.error);
        setExit(unreachable ? EXIT.unreachable : result.status === 'pass' ? EXIT.ok : EXIT.failed);
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}
