import type { Fleet } from '../../mocks/server/fleet.js';

/**
 * Undo what a check did to the fleet: faults back to those the fleet declares,
 * every in-process mock up, call logs emptied (checks look at the calls they
 * caused).
 */
export async function restoreFleet(fleet: Fleet): Promise<void> {
  for (const [name, m] of fleet.mocks) {
    await m.resetFaults();
    for (const f of fleet.spec.servers.find((s) => s.name === name)?.faults ?? []) await m.addFault(f);
    if (m.status() !== 'up' && m.transport !== 'stdio') await m.start();
    await m.clearCalls();
  }
}
