import { z } from 'zod';
import { fleetOf } from './named-fleet.js';

/**
 * The start path of `mcp-harness mock --fleet F --server N --stdio`: what a
 * SUT spawns for each stdio backend of every session it opens, so it loads
 * only what serving one stdio mock needs (no argument parser, no other
 * command). Any other shape of arguments, or a fleet or server that cannot
 * be served, is left to the full CLI (`false`), which reports the problem.
 */
export function stdioMockArgs(argv: readonly string[]): { fleet: string; server: string } | undefined {
  if (argv[0] !== 'mock') return undefined;
  const seen = new Map<string, string>();
  let stdio = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--stdio' && !stdio) {
      stdio = true;
      continue;
    }
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a];
    if ((flag !== '--fleet' && flag !== '--server') || seen.has(flag)) return undefined;
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    seen.set(flag, value);
  }
  const fleet = seen.get('--fleet');
  const server = seen.get('--server');
  return stdio && fleet && server ? { fleet, server } : undefined;
}

/** Serve the stdio mock when the arguments ask for one the fleet has; `false`: use the full CLI. */
export async function runStdioMockEntry(argv: readonly string[]): Promise<boolean> {
  const args = stdioMockArgs(argv);
  if (!args) return false;
  // A process that lives for one session: zod's compiled parsers cost more to build than they save.
  z.config({ jitless: true });
  const spec = await fleetOf(args.fleet).catch(() => undefined);
  const server = spec?.servers.find((s) => s.name === args.server);
  if (!spec || !server) return false;
  const { runStdioMock } = await import('../../mocks/transports/stdio.js');
  await runStdioMock(server, spec.seed);
  return true;
}
