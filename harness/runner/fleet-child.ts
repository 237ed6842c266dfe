import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { cliCommand } from '../../mocks/server/package-root.js';
import { HarnessError } from '../errors.js';

/** How long a mock fleet process may take to print its control API. */
const READY_MS = 15_000;

/**
 * A mock fleet in a child process (`mcp-harness mock --fleet REF`): serving
 * it never shares this process's event loop (calibration mocks for a SUT in
 * another process, the fleet of a load test). Resolves once it printed its
 * control API; `stop` ends it on every path.
 */
export interface FleetChild {
  child: ChildProcess;
  controlUrl: string;
  stop(): Promise<void>;
}

/** Start `mcp-harness mock --fleet ref --mcp-servers serversFile`; `what` names it in errors. */
export async function spawnFleetChild(ref: string, serversFile: string, what: string): Promise<FleetChild> {
  const cli = cliCommand();
  const child = spawn(cli.command, [...cli.args, 'mock', '--fleet', ref, '--mcp-servers', serversFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => stopProcess(child);
  try {
    return { child, controlUrl: await controlUrlOf(child, what), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function controlUrlOf(child: ChildProcess, what: string): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr = (stderr + c).slice(-2_000);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      (async () => {
        for await (const line of lines) {
          const m = /^control API\s+(\S+)/.exec(line);
          if (m?.[1]) return m[1];
        }
        throw new HarnessError('SUT_START_FAILED', `${what} exited before it was ready: ${stderr.trim()}`);
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new HarnessError('SUT_START_FAILED', `${what} was not ready within ${READY_MS / 1000} s`)),
          READY_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout?.resume();
  }
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the child has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
