import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Fleet, McpServerEntry } from '../../mocks/server/fleet.js';
import { cliCommand } from '../../mocks/server/package-root.js';
import { connectRemoteFleet } from '../../mocks/server/remote-fleet.js';
import { HarnessError } from '../errors.js';
import { stopProcess } from '../runner/calibration-fleet.js';
import type { FleetSpec } from '../schema/fleet.js';

/**
 * The mock fleet of a load test, in its own process (`mcp-harness mock`), so
 * serving the load never shares the generator's event loop. Driven through
 * its control API (faults, kill/restart, call logs); its mcpServers file
 * (stdio mocks included) is the one the child wrote.
 */
export interface FleetProcess {
  fleet: Fleet;
  pid: number;
  controlUrl: string;
  stop(): Promise<void>;
}

const READY_MS = 15_000;

/** Start `fleet` (a fleet file, `conformance`, or a spec written to `dir`) in a child process. */
export async function startFleetProcess(
  fleet: { file: string } | { spec: FleetSpec },
  spec: FleetSpec,
  dir: string,
): Promise<FleetProcess> {
  let ref: string;
  if ('file' in fleet) ref = fleet.file;
  else {
    ref = join(dir, 'fleet.json');
    await writeFile(ref, JSON.stringify(fleet.spec));
  }
  const serversFile = join(dir, 'fleet.mcpServers.json');
  const cli = cliCommand();
  const child = spawn(cli.command, [...cli.args, 'mock', '--fleet', ref, '--mcp-servers', serversFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => stopProcess(child);
  try {
    const controlUrl = await controlUrlOf(child);
    const remote = await connectRemoteFleet(controlUrl, spec);
    const written = JSON.parse(await readFile(serversFile, 'utf8')) as {
      mcpServers: Record<string, McpServerEntry>;
    };
    const mcpServers = () => ({ mcpServers: { ...written.mcpServers, ...remote.mcpServers().mcpServers } });
    return {
      fleet: {
        ...remote,
        // The child's fleet file: stdio mocks are spawned from it by whoever reads the mcpServers file.
        fleetFile: 'file' in fleet ? fleet.file : ref,
        mcpServers,
        async writeMcpServersFile(path) {
          await writeFile(path, `${JSON.stringify(mcpServers(), null, 2)}\n`);
          return path;
        },
        stop,
      },
      pid: child.pid as number,
      controlUrl,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function controlUrlOf(child: ChildProcess): Promise<string> {
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
        throw new HarnessError(
          'SUT_START_FAILED',
          `the mock fleet exited before it was ready: ${stderr.trim()}`,
        );
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new HarnessError('SUT_START_FAILED', `the mock fleet was not ready within ${READY_MS} ms`),
            ),
          READY_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    child.stdout?.resume();
  }
}
