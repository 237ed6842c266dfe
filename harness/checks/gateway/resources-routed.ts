import type { Resource } from '@modelcontextprotocol/client';
import { clip } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { answer, listAll, listOf } from './catalogue-util.js';

/** resources/list aggregates every server's resources, and resources/read of each URI reaches the server that owns it. */
export const resourcesRouted = check({
  id: 'gateway.resources-routed',
  title: 'every server’s resources are listed and read from the right server',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/resources §Listing Resources, §Reading Resources',
  severity: 'must',
  expected:
    'resources/list includes each fleet resource URI, and resources/read of each returns that server’s content',
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
    const uris = new Set((listed.result.items as Resource[]).map((r) => r.uri));
    const problems: string[] = [];
    const unlisted = expected.filter((r) => !uris.has(r.uri)).map((r) => `${r.uri} (${r.server})`);
    if (unlisted.length > 0) problems.push(`not listed: ${listOf(unlisted)}`);
    for (const r of expected) {
      const read = await answer(
        client.request(
          { method: 'resources/read', params: { uri: r.uri } },
          { timeout: ctx.timeoutMs, signal: ctx.signal },
        ),
      );
      if (read.kind === 'error') {
        problems.push(`read ${r.uri} (${r.server}): JSON-RPC error ${read.code}: ${clip(read.message, 100)}`);
        continue;
      }
      const first = (read.result.contents as Array<Record<string, unknown>> | undefined)?.[0];
      const got = r.text !== undefined ? first?.text : first?.blob;
      const want = r.text ?? r.blob;
      if (got !== want) {
        problems.push(
          `read ${r.uri} (${r.server}): ${JSON.stringify(clip(String(got), 60))} instead of ${JSON.stringify(clip(String(want), 60))}`,
        );
      }
    }
    const servers = [...new Set(expected.map((r) => r.server))].join(', ');
    return problems.length === 0
      ? pass(`${expected.length} resource(s) of ${servers} listed and read with their own content`)
      : fail(problems.join('; '));
  },
});
