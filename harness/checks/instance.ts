import type { TargetSpec } from '../schema/target.js';
import { acquireFleet } from './check-fleet.js';
import type { Instance } from './shared-phase.js';
import { openSut, type RunState } from './sut.js';

/**
 * A second instance of the SUT behind a fleet of its own, for the checks
 * that may share a SUT: they run on it while the others run one by one on
 * the first, so a check that injects faults, kills servers or counts call
 * logs never sees the shared checks' traffic. Only when the harness starts
 * both (a launch recipe whose endpoint takes a fresh `{port}`, the fleet
 * started by this run): a SUT reached at a fixed address, or a fleet that
 * runs elsewhere, has one instance. (More instances do not pay on two
 * cores: every SUT session starts a stdio server, and the run is CPU-bound.)
 */
export function whyOneInstance(spec: TargetSpec, fleetAt: string | undefined): string | undefined {
  if (fleetAt) return 'the fleet runs elsewhere (--fleet-at)';
  if (!spec.launch) return 'the SUT is not launched by the harness';
  if (!spec.endpoint || spec.endpoint.transport === 'stdio') return 'no network endpoint';
  if (!JSON.stringify(spec.endpoint).includes('{port}')) return 'its endpoint has a fixed address';
  return undefined;
}

/** Start the fleet and open the SUT behind it; on failure nothing is left running. */
export async function openInstance(
  spec: TargetSpec,
  targetFile: string | undefined,
  state: RunState,
  signal?: AbortSignal,
): Promise<Instance & { close(): Promise<void> }> {
  const acquired = await acquireFleet(spec, targetFile);
  const { fleet, mcpServersFile } = acquired;
  // Code mode was detected on the first instance; this one's main-session traffic goes to no transcript.
  const own: RunState = { access: state.access, detected: true, codeMode: state.codeMode };
  const open = () => openSut(spec, fleet, mcpServersFile, own, signal);
  try {
    const sut = { current: await open() };
    return {
      fleet,
      sut,
      open,
      async close() {
        await sut.current.target.close().catch(() => {});
        await acquired.release();
      },
    };
  } catch (e) {
    await acquired.release();
    throw e;
  }
}
