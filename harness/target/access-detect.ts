import type { Tool } from '@modelcontextprotocol/client';
import type { ToolMap } from './naming.js';

/**
 * Code-mode and tool-search gateways list a few meta-tools (`execute`,
 * `run_code`, `search_tools`, `retrieve_tools`, `list-servers`,
 * `call_tool`…) instead of the downstream tools: a client finds and calls
 * tools through them. Detected once per run from the SUT's first tool list:
 * nearly none of the fleet's tools is mapped AND the listed tools it cannot
 * map are mostly meta-tools. A gateway that merely lost tools (its own tools
 * are not meta-tools, or it still maps most of the fleet) is not one.
 */

export interface CodeMode {
  /** The meta-tools the SUT lists. */
  tools: string[];
}

/** At most this share of the fleet's tools may be mapped on a code-mode gateway. */
const MAX_MAPPED_SHARE = 0.2;

const VERBS = new Set([
  'execute',
  'exec',
  'run',
  'eval',
  'evaluate',
  'call',
  'invoke',
  'use',
  'search',
  'find',
  'retrieve',
  'discover',
  'list',
  'get',
  'describe',
  'load',
  'add',
  'remove',
  'enable',
  'activate',
]);
const NOUNS = new Set([
  'tool',
  'tools',
  'server',
  'servers',
  'code',
  'script',
  'mcp',
  'capability',
  'capabilities',
  'function',
  'functions',
  'action',
  'actions',
  'schema',
  'schemas',
]);
/** Meta-tools named by a verb alone (`execute`, `search`) or by a noun alone (`code`). */
const ALONE = new Set(['execute', 'exec', 'eval', 'run', 'search', 'invoke', 'code']);

/** `search_tools`, `retrieveTools`, `list-servers`, `mcp-find`, `execute`, `code_mode` look like meta-tools. */
export function looksMeta(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 1) return ALONE.has(words[0] as string);
  const verb = words.some((w) => VERBS.has(w));
  const noun = words.some((w) => NOUNS.has(w));
  return (verb && noun) || (words.includes('code') && words.includes('mode'));
}

/**
 * Whether the SUT's tool list is that of a code-mode/tool-search gateway.
 * `mapped`: how many of the fleet's `fleetTools` the tool map resolves;
 * `unmapped`: the listed names that map to no fleet tool.
 */
export function detectCodeMode(
  listed: readonly Pick<Tool, 'name'>[],
  unmapped: readonly string[],
  mapped: number,
  fleetTools: number,
): CodeMode | undefined {
  if (fleetTools === 0 || listed.length === 0) return undefined;
  if (mapped > fleetTools * MAX_MAPPED_SHARE) return undefined;
  const meta = unmapped.filter(looksMeta);
  if (meta.length === 0 || meta.length * 2 < unmapped.length) return undefined;
  return { tools: meta };
}

/** detectCodeMode on a SUT's tool list and tool map, against the fleet's `server.tool`s. */
export function codeModeOf(
  listed: readonly Pick<Tool, 'name'>[],
  map: Pick<ToolMap, 'logical' | 'resolve'>,
  fleetTools: readonly string[],
): CodeMode | undefined {
  const fleet = new Set(fleetTools);
  const unmapped = listed.filter((t) => !fleet.has(map.logical(t.name) ?? '')).map((t) => t.name);
  const mapped = fleetTools.filter((l) => map.resolve(l) !== undefined).length;
  return detectCodeMode(listed, unmapped, mapped, fleetTools.length);
}

/** The one sentence that says so, for observations and skip reasons (`adapted`: the target has an adapter). */
export function codeModeReason(cm: CodeMode, adapted = false): string {
  return (
    `the SUT is a code-mode/tool-search gateway (meta-tools: ${cm.tools.join(', ')}); ` +
    (adapted
      ? "its tools were listed and called through the target's access adapter"
      : 'give the target an access adapter (access: ./module.ts) to check it')
  );
}
