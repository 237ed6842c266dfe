import type { Command } from 'commander';
import { HarnessError, type Problem } from '../../errors.js';

interface ProbeOptions {
  config?: string;
  once?: boolean;
  listen: string;
  push?: string;
  updateSnapshots?: boolean;
  json?: boolean;
  otlp?: string;
}

export function registerProbe(program: Command, setExit: (code: number) => void): void {
  program
    .command('probe')
    .description(
      'synthetic probing: a daemon with /metrics, /probe?target=&module=, /healthz, or one round (--once)',
    )
    .option('--config <file>', 'probe config (YAML or JSON): modules and targets')
    .option('--once', 'run one round of every target and module, print it and exit (1 when a probe failed)')
    .option('--listen <host:port>', 'where the daemon serves /metrics and /probe', '127.0.0.1:9469')
    .option(
      '--push <url>',
      'with --once: push the round to this Pushgateway (job mcp_harness_probe, grouped by target)',
    )
    .option('--update-snapshots', 'with --once: write the catalogue snapshot files the tools modules pin')
    .option('--json', 'with --once: print the results as JSON')
    .option(
      '--otlp <url>',
      'export a span per probe (a child per phase) over OTLP/HTTP (e.g. http://127.0.0.1:4318)',
    )
    .action(async (opts: ProbeOptions) => {
      const listen = parseListen(opts, problemsOf(opts));
      const { loadProbeConfig, runRound, pushProbeResults, startProbeDaemon } = await import(
        '../../../probes/index.js'
      );
      const config = await loadProbeConfig(opts.config as string);
      const { createOtlpExport } = await import('../../measure/otlp.js');
      const otlp = opts.otlp === undefined ? undefined : createOtlpExport({ url: opts.otlp });
      const spans = otlp?.probeSpans();
      const onResult = spans ? (r: Parameters<typeof spans.add>[0]) => spans.add(r) : undefined;
      try {
        await serve();
      } finally {
        await otlp?.shutdown();
      }
      async function serve() {
        if (opts.once) {
          const { formatDuration } = await import('../../measure/format.js');
          const results = await runRound(config, { updateSnapshots: opts.updateSnapshots, onResult });
          if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
          else {
            for (const r of results) {
              const mark = r.success ? '✓' : '✗';
              const why = r.success ? (r.details[0] ?? '') : `${r.kind}: ${r.reason}`;
              process.stdout.write(
                `${mark} ${r.target} ${r.module}  ${formatDuration(r.durationUs)}  ${why}\n`,
              );
            }
          }
          if (opts.push) await pushProbeResults(opts.push, results);
          setExit(results.every((r) => r.success) ? 0 : 1);
          return;
        }
        const daemon = await startProbeDaemon(opts.config as string, { ...listen, onResult });
        process.stderr.write(`probe daemon listening on ${daemon.url} (${config.targets.length} targets)\n`);
        await new Promise<void>((resolve) => {
          const reload = () => {
            void daemon
              .reload()
              .then((r) =>
                process.stderr.write(
                  r.ok ? 'config reloaded\n' : `config refused, the previous one stays:\n${r.error}\n`,
                ),
              );
          };
          const stop = () => {
            process.off('SIGHUP', reload);
            void daemon.close().then(resolve, resolve);
          };
          process.on('SIGHUP', reload);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }
    });
}

function problemsOf(opts: ProbeOptions): Problem[] {
  const problems: Problem[] = [];
  if (!opts.config) problems.push({ path: '--config', message: 'expected a probe config file (missing)' });
  if (opts.push !== undefined) {
    if (!opts.once) problems.push({ path: '--push', message: 'needs --once (the daemon itself is scraped)' });
    if (!/^https?:\/\/[^/]/.test(opts.push))
      problems.push({ path: '--push', message: `expected an http(s) URL, got '${opts.push}'` });
  }
  if (opts.updateSnapshots && !opts.once)
    problems.push({ path: '--update-snapshots', message: 'needs --once' });
  if (opts.json && !opts.once) problems.push({ path: '--json', message: 'needs --once' });
  return problems;
}

/** `host:port` (IPv6 in brackets); every flag problem is thrown together. */
function parseListen(opts: ProbeOptions, problems: Problem[]): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(opts.listen);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    problems.push({
      path: '--listen',
      message: `expected host:port such as 127.0.0.1:9469, got '${opts.listen}'`,
    });
  }
  if (problems.length > 0) {
    throw new HarnessError('INVALID_ARGS', `probe: ${problems.length} problem(s) in the flags`, { problems });
  }
  return { host: (m?.[1] ?? '').replace(/^\[|\]$/g, ''), port };
}
