import type { FleetSpec } from '../schema/fleet.js';

/** Fleets known by name: `--fleet conformance` is the fleet the check suites put behind a gateway. */
export const NAMED_FLEETS = ['conformance'];

/**
 * The fleet `--fleet` names: a built-in one by name, else a fleet file
 * (validated; invalid input throws INVALID_CONFIG). Imports only what the
 * kind of fleet needs (a stdio mock starts on every SUT session).
 */
export async function fleetOf(fleet: string): Promise<FleetSpec> {
  if (!NAMED_FLEETS.includes(fleet)) {
    const { loadFleet } = await import('../config/fleet-file.js');
    return loadFleet(fleet);
  }
  const { validate } = await import('../config/load.js');
  const { FleetSpecSchema } = await import('../schema/fleet.js');
  const { conformanceFleet } = await import('../checks/fleet.js');
  return validate(FleetSpecSchema, conformanceFleet(), `fleet ${fleet}`);
}
