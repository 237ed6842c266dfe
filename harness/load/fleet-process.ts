import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
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
  // The child writes its own mcpServers file too; ours (withStdioMocks) says the same.
  const cli = cliCommand();
  const child = spawn(cli.command, [...cli.args, 'mock', '--fleet', ref, '--mcp-servers', serversFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => stopProcess(child);
  try {
    const controlUrl = await controlUrlOf(child);
    const remote = withStdioMocks(await connectRemoteFleet(controlUrl, spec), ref);
    return {
      fleet: { ...remote, stop },
      pid: child.pid as number,
      controlUrl,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A remote fleet whose mcpServers document also names its stdio mocks: a
 * command that serves one from `fleetRef` (a file or `conformance`) and
 * reports its calls to the fleet's control API, as a local fleet writes it.
 */
export function withStdioMocks(remote: Fleet, fleetRef: string): Fleet {
  const cli = cliCommand();
  const mcpServers = () => {
    const out: Record<string, McpServerEntry> = { ...remote.mcpServers().mcpServers };
    for (const m of remote.mocks.values()) {
      if (m.transport !== 'stdio') continue;
      out[m.name] = {
        command: cli.command,
        args: [...cli.args, 'mock', '--fleet', fleetRef, '--server', m.name, '--stdio'],
        env: remote.controlUrl ? { MCP_HARNESS_CONTROL: remote.controlUrl } : {},
      };
    }
    return { mcpServers: out };
  };
  return {
    ...remote,
    fleetFile: fleetRef,
    mcpServers,
    async writeMcpServersFile(path) {
      await writeFile(path, `${JSON.stringify(mcpServers(), null, 2)}\n`);
      return path;
    },
  };
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
