import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createFleet, type Fleet } from '../../mocks/server/fleet.js';
import { connectRemoteFleet } from '../../mocks/server/remote-fleet.js';
import { loadFleet } from '../config/fleet-file.js';
import type { TargetSpec } from '../schema/target.js';
import { conformanceFleet } from './fleet.js';
import { restoreFleet } from './fleet-state.js';

/**
 * The fleet a check run puts behind the SUT: the target's own fleet file or
 * the conformance fleet, started by this process, with the `mcpServers` file
 * the SUT's launch recipe reads. `release` stops it and removes the files.
 * With `fleetAt` (a control API URL) the fleet already runs elsewhere: it is
 * driven remotely, and `release` only puts its faults and call logs back,
 * never stops it.
 */
export interface CheckFleet {
  fleet: Fleet;
  mcpServersFile: string;
  release(): Promise<void>;
}

/** The fleet spec a run needs (validated; invalid input throws INVALID_CONFIG). */
export async function checkFleetSpec(spec: TargetSpec, targetFile: string | undefined) {
  return spec.checks?.fleet
    ? await loadFleet(resolve(targetFile ? dirname(targetFile) : '.', spec.checks.fleet))
    : conformanceFleet(spec.checks?.servers, spec.checks?.transport);
}

/** Start (or, with `fleetAt`, reach) the fleet and write its mcpServers file; on failure nothing is left running. */
export async function acquireFleet(
  spec: TargetSpec,
  targetFile: string | undefined,
  fleetAt?: string,
): Promise<CheckFleet> {
  const fleetSpec = await checkFleetSpec(spec, targetFile);
  if (fleetAt) return acquireRemote(fleetAt, fleetSpec);
  const work = await mkdtemp(join(tmpdir(), 'mcp-harness-check-'));
  const fleet = createFleet(fleetSpec);
  const release = async () => {
    await fleet.stop().catch(() => {});
    await rm(work, { recursive: true, force: true });
  };
  try {
    await fleet.start();
    const mcpServersFile = await fleet.writeMcpServersFile(join(work, 'mcpServers.json'));
    return { fleet, mcpServersFile, release };
  } catch (e) {
    await release();
    throw e;
  }
}

async function acquireRemote(controlUrl: string, fleetSpec: unknown): Promise<CheckFleet> {
  const fleet = await connectRemoteFleet(controlUrl, fleetSpec);
  const work = await mkdtemp(join(tmpdir(), 'mcp-harness-check-'));
  const release = async () => {
    // Leave the fleet as its owner declared it: the run's faults gone, call logs empty.
    await restoreFleet(fleet).catch(() => {});
    await rm(work, { recursive: true, force: true });
  };
  try {
    await restoreFleet(fleet);
    const mcpServersFile = await fleet.writeMcpServersFile(join(work, 'mcpServers.json'));
    return { fleet, mcpServersFile, release };
  } catch (e) {
    await release();
    throw e;
  }
}
