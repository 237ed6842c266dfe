import type { Tool } from '@modelcontextprotocol/client';
import { ORIGIN_TAG_RE } from '../schema/origin.js';
import type { NamingSpec } from '../schema/target.js';

export { ORIGIN_TAG_RE, originTag } from '../schema/origin.js';

/**
 * Scenarios name tools logically, `server.tool` (server: no dots; the tool may
 * contain dots). A SUT may expose them under other names: a gateway prefixes
 * (`weather__forecast`) or renames them. The tool map maps both ways and reports
 * every mismatch as a problem: it never guesses silently.
 */

/** Every origin tag in a text (a gateway that merges tools may carry several). */
export function originTagsIn(text: string | undefined): Array<{ server: string; tool: string }> {
  if (!text) return [];
  const re = new RegExp(ORIGIN_TAG_RE.source, 'g');
  return [...text.matchAll(re)].map((m) => ({ server: m[1] as string, tool: m[2] as string }));
}

export function splitLogical(logical: string): { server?: string; tool: string } {
  const dot = logical.indexOf('.');
  if (dot <= 0) return { tool: logical };
  return { server: logical.slice(0, dot), tool: logical.slice(dot + 1) };
}

export type NamingProblemKind = 'missing' | 'duplicate' | 'ambiguous' | 'unmapped';

export interface NamingProblem {
  logical?: string;
  exposed?: string;
  /** The SUT client the exposed tool came from (mesh). */
  client?: string;
  problem: NamingProblemKind;
  detail: string;
}

export interface ToolMapEntry {
  /** `server.tool`, or a bare `tool` when the server cannot be known (identity without a server). */
  logical: string;
  exposed: string;
  /** Which client exposes it: 'sut' for a single endpoint, the server name in a mesh. */
  client: string;
  tool: Tool;
}

export interface ToolMap {
  /** Uniquely mapped tools. Duplicates and ambiguous names are left out (see problems). */
  readonly entries: readonly ToolMapEntry[];
  readonly problems: readonly NamingProblem[];
  /** The exposed name of a logical tool, or undefined when it is missing, duplicated or ambiguous. */
  resolve(logical: string): string | undefined;
  /** Where to call a logical tool: the client and the exposed name. */
  route(logical: string): { client: string; name: string } | undefined;
  /** The logical name of an exposed tool, or undefined when it is unmapped. */
  logical(exposed: string, client?: string): string | undefined;
}

export interface BuildToolMapOptions {
  /** The server these tools belong to, when known (mesh member, direct target). Used by identity mode. */
  server?: string;
  /** The client name recorded in entries; default 'sut'. */
  client?: string;
}

/**
 * Build the map of one client's tool list. `expected` (logical names) turns
 * absent tools into 'missing' problems and disambiguates prefix parses.
 */
export function buildToolMap(
  tools: readonly Tool[],
  naming: NamingSpec,
  expected: readonly string[] = [],
  opts: BuildToolMapOptions = {},
): ToolMap {
  const client = opts.client ?? 'sut';
  const problems: NamingProblem[] = [];
  const candidates: ToolMapEntry[] = [];

  for (const tool of tools) {
    const found = logicalNamesOf(tool, naming, expected, opts.server);
    if (found.names.length === 0) {
      problems.push({ exposed: tool.name, client, problem: 'unmapped', detail: found.why });
    } else if (found.names.length > 1) {
      problems.push({
        exposed: tool.name,
        client,
        problem: 'ambiguous',
        detail: `${found.why}: could be ${found.names.map((n) => `'${n}'`).join(' or ')}`,
      });
    } else {
      candidates.push({ logical: found.names[0] as string, exposed: tool.name, client, tool });
    }
  }
  return finish(candidates, problems, expected);
}

/** Combine per-client maps (a mesh) into one; logical names must stay unique across clients. */
export function mergeToolMaps(maps: readonly ToolMap[], expected: readonly string[] = []): ToolMap {
  const problems = maps.flatMap((m) => m.problems.filter((p) => p.problem !== 'missing'));
  return finish(
    maps.flatMap((m) => m.entries),
    problems,
    expected,
  );
}

function finish(candidates: ToolMapEntry[], problems: NamingProblem[], expected: readonly string[]): ToolMap {
  const byLogical = new Map<string, ToolMapEntry[]>();
  for (const c of candidates) byLogical.set(c.logical, [...(byLogical.get(c.logical) ?? []), c]);
  const entries: ToolMapEntry[] = [];
  for (const [logical, list] of byLogical) {
    if (list.length === 1) {
      entries.push(list[0] as ToolMapEntry);
      continue;
    }
    for (const e of list) {
      problems.push({
        logical,
        exposed: e.exposed,
        client: e.client,
        problem: 'duplicate',
        detail: `${list.length} exposed tools claim '${logical}': ${list.map((x) => describeExposed(x)).join(', ')}`,
      });
    }
  }
  const duplicated = new Set([...byLogical].filter(([, l]) => l.length > 1).map(([k]) => k));
  const index = new Map(entries.map((e) => [e.logical, e]));
  const byExposed = new Map(entries.map((e) => [`${e.client}\u0000${e.exposed}`, e]));

  const lookup = (logical: string): ToolMapEntry | undefined => {
    const exact = index.get(logical);
    if (exact) return exact;
    if (duplicated.has(logical)) return undefined;
    // Identity without a known server maps `tool` only; `anyserver.tool` then reaches it.
    const { server, tool } = splitLogical(logical);
    if (server !== undefined) return index.get(tool);
    // A bare `tool` reaches `server.tool` only when exactly one server has it.
    const hits = entries.filter((e) => splitLogical(e.logical).tool === tool);
    return hits.length === 1 ? hits[0] : undefined;
  };

  for (const logical of expected) {
    if (lookup(logical) || duplicated.has(logical)) continue;
    problems.push({ logical, problem: 'missing', detail: `no exposed tool maps to '${logical}'` });
  }

  return {
    entries,
    problems,
    resolve: (logical) => lookup(logical)?.exposed,
    route: (logical) => {
      const e = lookup(logical);
      return e ? { client: e.client, name: e.exposed } : undefined;
    },
    logical: (exposed, client) => {
      if (client !== undefined) return byExposed.get(`${client}\u0000${exposed}`)?.logical;
      const hits = entries.filter((e) => e.exposed === exposed);
      return hits.length === 1 ? hits[0]?.logical : undefined;
    },
  };
}

function describeExposed(e: ToolMapEntry): string {
  return e.client === 'sut' ? `'${e.exposed}'` : `'${e.exposed}' on ${e.client}`;
}

function logicalNamesOf(
  tool: Tool,
  naming: NamingSpec,
  expected: readonly string[],
  server: string | undefined,
): { names: string[]; why: string } {
  switch (naming.mode) {
    case 'identity': {
      if (server !== undefined) return { names: [`${server}.${tool.name}`], why: '' };
      // A gateway that keeps names: the origin tag, when present, tells the server.
      const tags = originTagsIn(tool.description).filter((t) => t.tool === tool.name);
      const servers = [...new Set(tags.map((t) => t.server))];
      if (servers.length > 1)
        return { names: servers.map((s) => `${s}.${tool.name}`), why: 'several origin tags' };
      return { names: [servers.length === 1 ? `${servers[0]}.${tool.name}` : tool.name], why: '' };
    }
    case 'origin': {
      const tags = originTagsIn(tool.description);
      const names = [...new Set(tags.map((t) => `${t.server}.${t.tool}`))];
      if (names.length === 0) return { names, why: 'no [origin:SERVER/TOOL] tag in its description' };
      return { names, why: 'several different origin tags in its description' };
    }
    case 'prefix': {
      const names = parsePrefixed(tool.name, naming.prefix, naming.separator);
      // A name the rule does not explain (a gateway that did not prefix, or used another separator)
      // is still mapped by the origin tag its server put in the description: judge the behaviour,
      // not the naming (gateway.tools-exposed-once and names-valid report the naming itself).
      const explained =
        names.length > 0 && (expected.length === 0 || names.some((n) => expected.includes(n)));
      if (!explained) {
        const tagged = [...new Set(originTagsIn(tool.description).map((t) => `${t.server}.${t.tool}`))];
        if (tagged.length > 0)
          return { names: tagged, why: 'several different origin tags in its description' };
      }
      if (names.length === 0) {
        return { names, why: `does not match ${naming.prefix}${naming.separator}TOOL` };
      }
      if (names.length > 1 && expected.length > 0) {
        // Several parses (server names may contain the separator's characters): keep the expected ones.
        const known = names.filter((n) => expected.includes(n));
        if (known.length > 0)
          return { names: known, why: 'several parses of the prefix match expected tools' };
      }
      return { names, why: 'the prefix separator splits it several ways' };
    }
  }
}

/** The exposed name of `server.tool` under a prefix rule. */
export function prefixedName(server: string, tool: string, prefix: string, separator: string): string {
  return prefix.split('{server}').join(server) + separator + tool;
}

/** Every `server.tool` that `prefixedName` could have produced `exposed` from. */
export function parsePrefixed(exposed: string, prefix: string, separator: string): string[] {
  const parts = prefix.split('{server}').map(escapeRe);
  const re = new RegExp(`^${parts.join('([A-Za-z0-9_-]+)')}$`);
  const out: string[] = [];
  // Try every occurrence of the separator as the split point.
  for (let i = exposed.indexOf(separator); i !== -1; i = exposed.indexOf(separator, i + 1)) {
    const head = exposed.slice(0, i);
    const tool = exposed.slice(i + separator.length);
    if (!tool) continue;
    const m = re.exec(head);
    if (!m) continue;
    const servers = new Set(m.slice(1));
    if (servers.size !== 1) continue; // `{server}` used twice must name one server
    out.push(`${[...servers][0]}.${tool}`);
  }
  return [...new Set(out)];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
