import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fleet, McpServerEntry } from '../../mocks/server/fleet.js';
import { cliCommand } from '../../mocks/server/package-root.js';
import { connectRemoteFleet } from '../../mocks/server/remote-fleet.js';
import { spawnFleetChild } from '../runner/fleet-child.js';
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
  const proc = await spawnFleetChild(ref, serversFile, 'the mock fleet');
  try {
    const remote = withStdioMocks(await connectRemoteFleet(proc.controlUrl, spec), ref);
    return {
      fleet: { ...remote, stop: proc.stop },
      pid: proc.child.pid as number,
      controlUrl: proc.controlUrl,
      stop: proc.stop,
    };
  } catch (e) {
    await proc.stop();
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
