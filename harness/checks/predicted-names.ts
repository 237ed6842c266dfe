import type { NamingSpec } from '../schema/target.js';
import { prefixedName, splitLogical, type ToolMapEntry } from '../target/naming.js';

/**
 * The names an unlisted `server.tool` may be reachable by: the one the naming
 * rule predicts, then the shapes the SUT's own listed names show (a listed
 * `alpha__echo` for alpha's echo says `{server}__{tool}`; a listed `echo`
 * says names are kept). Only a call the fleet's server then receives counts,
 * so a wrong guess costs one call and maps nothing.
 */

/** How many names are tried for one unlisted tool. */
const MAX_CANDIDATES = 3;

/** The exposed-name shape of a mapped entry (`{server}__{tool}`), or undefined when it shows none. */
export function shapeOf(entry: Pick<ToolMapEntry, 'logical' | 'exposed'>): string | undefined {
  const { server, tool } = splitLogical(entry.logical);
  if (!server) return undefined;
  if (entry.exposed === tool) return '{tool}';
  if (!entry.exposed.endsWith(tool)) return undefined;
  const head = entry.exposed.slice(0, entry.exposed.length - tool.length);
  const at = head.indexOf(server);
  if (at < 0) return undefined;
  return `${head.slice(0, at)}{server}${head.slice(at + server.length)}{tool}`;
}

export function predictedNames(
  naming: NamingSpec,
  mapped: readonly Pick<ToolMapEntry, 'logical' | 'exposed'>[],
  server: string,
  tool: string,
): string[] {
  const out: string[] = [];
  if (naming.mode === 'prefix') out.push(prefixedName(server, tool, naming.prefix, naming.separator));
  if (naming.mode === 'identity') out.push(tool);
  const shapes = new Map<string, number>();
  for (const e of mapped) {
    const shape = shapeOf(e);
    if (shape) shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
  }
  // The most common shapes first.
  for (const [shape] of [...shapes].sort((a, b) => b[1] - a[1]))
    out.push(shape.replace('{server}', server).replace('{tool}', tool));
  return [...new Set(out)].slice(0, MAX_CANDIDATES);
}
