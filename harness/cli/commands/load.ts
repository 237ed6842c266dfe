import type { Command } from 'commander';
import { HarnessError, type Problem } from '../../errors.js';
import type { LoadFlags } from '../../load/options.js';

interface LoadCliFlags extends LoadFlags {
  reportDir: string;
  format: string[];
  progress: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Run each check, gathering every HarnessError's problems, so one error lists them all. */
async function gather<T>(problems: Problem[], run: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof HarnessError)) throw e;
    problems.push(...e.problems);
    return undefined;
  }
}

export function registerLoad(program: Command, setExit: (code: number) => void): void {
  program
    .command('load')
    .description('load test a target: open loop (--rate, --stages) or closed loop (--connections)')
    .option('--target <file>', 'target file (the SUT)')
    .option('--scenario <file>', 'a whole workflow per iteration')
    .option('--tool <server.tool>', 'one logical tool call per iteration')
    .option('--args <json>', 'arguments of --tool, a JSON object')
    .option(
      '--executor <name>',
      'constant-arrival-rate, ramping-arrival-rate, constant-vus, per-session-iterations',
    )
    .option('--rate <n/s>', 'iterations per second (open loop), e.g. 500/s')
    .option('--connections <n>', 'sessions with one iteration in flight each (closed loop)')
    .option('--duration <d>', 'how long, e.g. 30s (default 30s)')
    .option('--stages <list>', 'ramp of the rate, e.g. "10s:100,30s:500,10s:0"')
    .option('--sessions <n>', 'MCP sessions the requests are spread over')
    .option('--iterations <n>', 'per-session-iterations: iterations per session')
    .option('--max-in-flight <n>', 'a scheduled request beyond this many in flight is dropped')
    .option(
      '--threshold <expr>',
      "e.g. 'p(99)<50ms', 'service_time:p(99.9)<200ms', 'errors:rate<0.01' (repeatable)",
      collect,
    )
    .option('--faults <file>', 'fault timeline file')
    .option('--shard <i/n>', 'run shard i of n (rate and connections split deterministically)')
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option(
      '--fleet <file>',
      "fleet for --tool (default: the target's checks.fleet, else the conformance fleet)",
    )
    .option('--fleet-at <url>', 'control URL of a fleet already running (mcp-harness mock)')
    .option('--timeout <d>', "per-request deadline (default: the target's)")
    .option('--report-dir <dir>', 'where json/junit/md reports are written', 'mcp-harness-report')
    .option('--format <formats...>', 'console, json, junit, md (comma or space separated)', ['console'])
    .option('--no-progress', 'no live progress on stderr')
    .action(async (flags: LoadCliFlags) => {
      const { asFlags, checkLoadFlags } = await import('../../load/check-flags.js');
      const { stagesDurationMs } = await import('../../load/stages.js');
      const { resolveLoadReporters } = await import('../../report/load-registry.js');
      const { writeLoadOutput } = await import('../../report/load-output.js');
      const { createLoadProgress } = await import('../../report/load-progress.js');
      const problems: Problem[] = [];
      await gather(problems, () => resolveLoadReporters(flags.format));
      const options = await gather(problems, () => checkLoadFlags(flags));
      if (!options || problems.length > 0) {
        throw new HarnessError('INVALID_ARGS', `invalid load flags (${problems.length})`, { problems });
      }
      const { runLoad } = await import('../../load/index.js');
      const totalMs = options.stages ? stagesDurationMs(options.stages) : options.durationMs;
      const progress = flags.progress ? createLoadProgress({ totalSeconds: totalMs / 1000 }) : undefined;
      const controller = new AbortController();
      const abort = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        const report = await runLoad(options, {
          signal: controller.signal,
          onSecond: progress && ((s) => progress.second(s)),
        }).catch((e: unknown) => {
          throw e instanceof HarnessError ? asFlags(e) : e;
        });
        progress?.stop();
        setExit(
          await writeLoadOutput(report, {
            dir: flags.reportDir,
            formats: flags.format,
            stream: process.stdout,
            notes: process.stderr,
          }),
        );
      } finally {
        progress?.stop();
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}
