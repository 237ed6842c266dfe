import type { Resource } from '@modelcontextprotocol/client';
import { clip } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { answer, listAll, listOf } from './catalogue-util.js';

const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** `text` names `word` as a whole (not inside a longer word): `alpha__greet` names `greet`, `greeting` does not. */
export function mentions(text: string, word: string): boolean {
  if (!word) return false;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (!alnum(text[i - 1]) && !alnum(text[i + word.length])) return true;
  }
  return false;
}

/** Which listed item stands for a fleet item: one match, several (ambiguous), or none. */
export type Mapped<T> = { item: T; how: string } | { ambiguous: T[] } | undefined;

/**
 * The item among `candidates` that stands for `server`'s item: the only one,
 * or the only one that also names the server (in any of its `keys`).
 */
export function narrow<T>(candidates: readonly T[], keys: (t: T) => string[], server: string, how: string) {
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1) return { item: candidates[0] as T, how };
  const named = candidates.filter((c) => keys(c).some((k) => mentions(k, server)));
  return named.length === 1
    ? { item: named[0] as T, how }
    : { ambiguous: [...(named.length ? named : candidates)] };
}

/**
 * The listed resource that stands for a fleet resource, as tools are mapped
 * by a naming rule: its own URI; a URI that carries it (prefixed, wrapped,
 * percent-encoded); its path under another scheme; or its name.
 */
export function exposedResource(
  listed: readonly Resource[],
  server: string,
  r: { uri: string; name: string },
) {
  const keys = (l: Resource) => [l.uri, l.name];
  const same = listed.find((l) => l.uri === r.uri);
  if (same) return { item: same, how: 'same URI' };
  const carried = listed.filter((l) => l.uri.includes(r.uri) || l.uri.includes(encodeURIComponent(r.uri)));
  const path = r.uri.slice(r.uri.indexOf('://') + 3);
  const moved = listed.filter((l) => path && l.uri.endsWith(path));
  const named = listed.filter((l) => l.name === r.name || mentions(l.name, r.name));
  return (
    narrow(carried, keys, server, 'a URI that carries it') ??
    narrow(moved, keys, server, 'its path under another URI') ??
    narrow(named, keys, server, 'its name')
  );
}

/**
 * resources/list aggregates every server's resources, and resources/read of
 * each reaches the server that owns it. A gateway may rename URIs: each fleet
 * resource is found in the listing, and the URI listed for it is read.
 */
export const resourcesRouted = check({
  id: 'gateway.resources-routed',
  title: 'every server’s resources are listed and read from the right server',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/resources §Listing Resources, §Reading Resources',
  severity: 'must',
  concurrent: true,
  expected:
    'resources/list has an entry for each fleet resource (its URI, or a renamed URI that carries it, its path or ' +
    'its name), and resources/read of the listed URI returns that server’s content',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const expected = ctx.fleet.spec.servers.flatMap((s) =>
      s.resources.map((r) => ({ server: s.name, ...r })),
    );
    if (expected.length === 0) return skip('the fleet serves no resources');
    const client = session.connection.client;
    const listed = await answer(listAll<Resource>(client, 'resources/list', ctx));
    if (listed.kind === 'error')
      return fail(`resources/list failed: JSON-RPC error ${listed.code}: ${clip(listed.message)}`);
    const resources = listed.result.items as Resource[];
    const problems: string[] = [];
    const seen: string[] = [];
    for (const r of expected) {
      const m = exposedResource(resources, r.server, r);
      if (!m) {
        problems.push(`${r.uri} (${r.server}) is not listed, under its URI, a URI carrying it, or its name`);
        continue;
      }
      if ('ambiguous' in m) {
        problems.push(
          `${r.uri} (${r.server}): listed ambiguously as ${listOf(m.ambiguous.map((l) => l.uri))}`,
        );
        continue;
      }
      const uri = m.item.uri;
      const as = uri === r.uri ? r.uri : `${uri} (for ${r.uri}, by ${m.how})`;
      const read = await answer(
        client.request(
          { method: 'resources/read', params: { uri } },
          { timeout: ctx.timeoutMs, signal: ctx.signal },
        ),
      );
      if (read.kind === 'error') {
        problems.push(`read ${as} (${r.server}): JSON-RPC error ${read.code}: ${clip(read.message, 100)}`);
        continue;
      }
      const first = (read.result.contents as Array<Record<string, unknown>> | undefined)?.[0];
      const got = r.text !== undefined ? first?.text : first?.blob;
      const want = r.text ?? r.blob;
      if (got !== want)
        problems.push(
          `read ${as} (${r.server}): ${JSON.stringify(clip(String(got), 60))} instead of ${JSON.stringify(clip(String(want), 60))}`,
        );
      else seen.push(as);
    }
    const servers = [...new Set(expected.map((r) => r.server))].join(', ');
    return problems.length === 0
      ? pass(
          `${expected.length} resource(s) of ${servers} listed and read with their own content: ${seen.join('; ')}`,
        )
      : fail([...problems, ...seen.map((s) => `${s} ok`)].join('; '));
  },
});
