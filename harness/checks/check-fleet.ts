import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createFleet, type Fleet } from '../../mocks/server/fleet.js';
import { loadFleet } from '../config/fleet-file.js';
import type { TargetSpec } from '../schema/target.js';
import { conformanceFleet } from './fleet.js';

/**
 * The fleet a check run puts behind the SUT: the target's own fleet file or
 * the conformance fleet, started by this process, with the `mcpServers` file
 * the SUT's launch recipe reads. `release` stops it and removes the files.
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

/** Start the fleet and write its mcpServers file; on failure nothing is left running. */
export async function acquireFleet(spec: TargetSpec, targetFile: string | undefined): Promise<CheckFleet> {
  const fleetSpec = await checkFleetSpec(spec, targetFile);
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
