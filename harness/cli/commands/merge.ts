import type { Command } from 'commander';

interface MergeFlags {
  out: string;
  format: string[];
}

export function registerMerge(program: Command, setExit: (code: number) => void): void {
  program
    .command('merge')
    .description('combine the JSON reports of load shards (--shard i/n) into one (HDR merge)')
    .argument('<reports...>', 'load-report.json files, one per shard')
    .option('--out <dir>', 'where the merged reports are written', 'mcp-harness-report')
    .option('--format <formats...>', 'console, json, junit, md (comma or space separated)', [
      'console',
      'json',
    ])
    .action(async (paths: string[], flags: MergeFlags) => {
      const { resolveLoadReporters, writeLoadReports } = await import('../../report/load-registry.js');
      const { mergeLoadReportFiles } = await import('../../load/merge.js');
      const { loadExitCode } = await import('../../load/thresholds.js');
      resolveLoadReporters(flags.format);
      const report = await mergeLoadReportFiles(paths);
      const files = await writeLoadReports(report, {
        dir: flags.out,
        formats: flags.format,
        stream: process.stdout,
      });
      for (const f of files) process.stderr.write(`report written: ${f}\n`);
      setExit(loadExitCode(report));
    });
}
