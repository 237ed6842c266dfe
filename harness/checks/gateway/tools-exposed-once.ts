import { codeModeReason } from '../../target/access-detect.js';
import type { CheckContext } from '../context.js';
import { check, fail, pass, skip } from '../types.js';
import { catalogue, fleetToolNames, listOf } from './catalogue-util.js';

/** Every tool of every fleet server is listed, under exactly one exposed name, and no name is listed twice. */
export const toolsExposedOnce = check({
  id: 'gateway.tools-exposed-once',
  title: 'every downstream tool is exposed exactly once',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §Listing Tools (tool names are unique within a server); practice: an aggregator loses no tool',
  severity: 'must',
  concurrent: true,
  expected:
    'tools/list (all pages) lists each fleet tool under exactly one exposed name, and no exposed name twice',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    // A code-mode/tool-search gateway lists meta-tools; with an access adapter its listing is the adapter's.
    if (ctx.codeMode && !ctx.access) return skip(codeModeReason(ctx.codeMode));
    const { tools, pages, map } = await catalogue(ctx, ctx.session);
    const expected = fleetToolNames(ctx);

    const counts = new Map<string, number>();
    for (const t of tools) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([name, n]) => `'${name}' ×${n}`);
    // Tools a downstream lists only on later pages are gateway.pagination-aggregated's to judge.
    const later = laterPageTools(ctx);
    const missingAll = map.problems.filter((p) => p.problem === 'missing').map((p) => p.logical as string);
    const missing = missingAll.filter((l) => !later.has(l));
    const pagedMissing = missingAll.length - missing.length;
    const duplicated = [
      ...new Set(
        map.problems
          .filter((p) => p.problem === 'duplicate' || p.problem === 'ambiguous')
          .map((p) => p.detail),
      ),
    ];
    const unmapped = map.problems.filter((p) => p.problem === 'unmapped').map((p) => `'${p.exposed}'`);

    const parts = [
      `${tools.length} tool(s) in ${pages} page(s) for ${expected.length} fleet tools`,
      missing.length ? `missing: ${listOf(missing)}` : '',
      duplicated.length ? `exposed more than once: ${listOf(duplicated, 4)}` : '',
      repeated.length ? `names listed twice: ${listOf(repeated)}` : '',
      unmapped.length ? `not mapped to a fleet tool: ${listOf(unmapped)}` : '',
      pagedMissing
        ? `${pagedMissing} tool(s) a downstream lists only on later pages are missing (judged by gateway.pagination-aggregated)`
        : '',
    ].filter(Boolean);
    const evidence = { exposed: tools.map((t) => t.name), missing, duplicated, repeated };
    const ok = missing.length === 0 && duplicated.length === 0 && repeated.length === 0;
    return ok ? pass(parts.join('; '), evidence) : fail(parts.join('; '), evidence);
  },
});

/** `server.tool` of every fleet tool that its server lists after the first page. */
function laterPageTools(ctx: CheckContext): Set<string> {
  return new Set(
    ctx.fleet.spec.servers.flatMap((s) =>
      s.pageSize === undefined ? [] : s.tools.slice(s.pageSize).map((t) => `${s.name}.${t.name}`),
    ),
  );
}
