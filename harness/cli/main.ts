import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../../mocks/server/package-root.js';
import { EXIT, HarnessError, isHarnessError } from '../errors.js';
import { registerCheck } from './commands/check.js';
import { registerCompare } from './commands/compare.js';
import { registerDashboards } from './commands/dashboards.js';
import { registerInit } from './commands/init.js';
import { registerLoad } from './commands/load.js';
import { registerMerge } from './commands/merge.js';
import { registerMock } from './commands/mock.js';
import { registerProbe } from './commands/probe.js';
import { registerRun } from './commands/run.js';

/** The CLI only parses arguments, calls the API and renders; exit codes follow DESIGN.md. */
export async function main(argv: string[]): Promise<number> {
  const version = JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')).version as string;
  const program = new Command('mcp-harness')
    .description('observability and conformance testing for composed MCP systems')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let exitCode: number = EXIT.ok;
  registerMock(program);
  const setExit = (code: number) => {
    exitCode = code;
  };
  registerRun(program, setExit);
  registerCheck(program, setExit);
  registerCompare(program, setExit);
  registerInit(program, setExit);
  registerDashboards(program);
  registerProbe(program, setExit);
  registerLoad(program, setExit);
  registerMerge(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT.ok; // --help, --version
      return EXIT.invalidInput;
    }
    if (isHarnessError(e)) {
      process.stderr.write(`${e.render()}\n`);
      return e.exitCode;
    }
    const err = new HarnessError('INTERNAL', (e as Error)?.stack ?? String(e));
    process.stderr.write(`${err.render()}\n`);
    return EXIT.internal;
  }
}

const code = await main(process.argv.slice(2));
// A stdio mock keeps running on its pipes; everything else exits with its code.
if (code !== EXIT.ok || !process.argv.includes('--stdio')) process.exit(code);
