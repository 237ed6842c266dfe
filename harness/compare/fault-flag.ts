import { FaultSpecSchema } from '../../mocks/faults/registry.js';
import { zodProblems } from '../config/problems.js';
import type { FleetSpec } from '../schema/fleet.js';

/** A fault to run the workflow under: `server:type[:key=value,…]`, validated against the fault registry. */
export interface PlannedFault {
  flag: string;
  server: string;
  fault: Record<string, unknown>;
}

export function parseFaultFlag(
  flag: string,
  fleet: FleetSpec | undefined,
): PlannedFault | { problem: string } {
  const [server = '', type = '', ...rest] = flag.split(':');
  const fault: Record<string, unknown> = { type };
  const params = rest.join(':');
  for (const pair of params ? params.split(',') : []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { problem: `'${pair}' in '${flag}': expected key=value` };
    const value = pair.slice(eq + 1);
    fault[pair.slice(0, eq)] = value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  const names = fleet?.servers.map((s) => s.name) ?? [];
  if (!names.includes(server)) {
    return {
      problem: `unknown server '${server}' in '${flag}' (the fleet has: ${names.join(', ') || 'none'})`,
    };
  }
  const parsed = FaultSpecSchema.safeParse(fault);
  if (!parsed.success) {
    const why = zodProblems(parsed.error)
      .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
      .join('; ');
    return { problem: `'${flag}': ${why}` };
  }
  return { flag, server, fault };
}
