import type { FleetOptions } from '../../mocks/server/fleet.js';
import { FleetPlacementSchema } from '../../mocks/server/remote-placement.js';
import { flagProblems, throwFlagProblems } from './flags.js';
import { splitCommand } from './split-command.js';

/** The flags of `mock` that place a fleet where a gateway elsewhere can reach it. */
export interface MockPlacementFlags {
  host?: string;
  advertise?: string;
  portBase?: string;
  stdioCommand?: string;
}

const FLAG_NAMES = { host: '--host', advertise: '--advertise', portBase: '--port-base' };

/**
 * Listen address, advertised host, fixed ports, and the command the written
 * mcpServers file starts stdio mocks with: `npx mcp-harness` once the fleet is
 * placed for a gateway elsewhere (which has its own copy), else this CLI.
 * Every problem of every flag at once (INVALID_ARGS).
 */
export function mockPlacementOf(f: MockPlacementFlags): Partial<FleetOptions> {
  const split = f.stdioCommand === undefined ? undefined : splitCommand(f.stdioCommand);
  const problems =
    split?.problem || split?.words.length === 0
      ? [{ path: '--stdio-command', message: split.problem ?? 'expected a command, got an empty string' }]
      : [];
  const parsed = FleetPlacementSchema.safeParse({
    host: f.host,
    advertise: f.advertise,
    portBase: f.portBase,
  });
  if (!parsed.success) problems.unshift(...flagProblems(parsed.error, FLAG_NAMES));
  throwFlagProblems('mock', problems);
  const placement = parsed.data ?? {};
  const placed = placement.host !== undefined || placement.portBase !== undefined;
  const words = split?.words ?? (placed ? ['npx', 'mcp-harness'] : undefined);
  return {
    ...placement,
    ...(words ? { stdioCommand: { command: words[0] as string, args: words.slice(1) } } : {}),
  };
}
