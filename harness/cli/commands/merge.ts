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
      const { resolveLoadReporters } = await import('../../report/load-registry.js');
      const { writeLoadOutput } = await import('../../report/load-output.js');
      const { mergeLoadReportFiles } = await import('../../load/merge.js');
      resolveLoadReporters(flags.format);
      const report = await mergeLoadReportFiles(paths);
      setExit(
        await writeLoadOutput(report, {
          dir: flags.out,
          formats: flags.format,
          stream: process.stdout,
          notes: process.stderr,
        }),
      );
    });
}
