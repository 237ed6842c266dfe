import { check, fail, pass, skip } from '../types.js';
import { catalogue, listOf } from './catalogue-util.js';

/**
 * A downstream that pages its tools/list: the gateway follows every page, so
 * all of that server's tools are reachable through the gateway's list.
 */
export const paginationAggregated = check({
  id: 'gateway.pagination-aggregated',
  title: 'every page of a paginated downstream tool list is aggregated',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/utilities/pagination; practice: an aggregator follows every downstream nextCursor',
  severity: 'must',
  concurrent: true,
  expected:
    'the tools of a downstream that lists them over several pages all appear in the gateway’s tools/list',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const paged = ctx.fleet.spec.servers.filter(
      (s) => s.pageSize !== undefined && s.tools.length > s.pageSize,
    );
    if (paged.length === 0) return skip('no fleet server lists its tools over several pages');
    const { tools, pages, map } = await catalogue(ctx, ctx.session);
    const problems: string[] = [];
    const seen: string[] = [];
    for (const s of paged) {
      const names = s.tools.map((t) => `${s.name}.${t.name}`);
      const missing = names.filter((n) => map.resolve(n) === undefined);
      const downstreamPages = Math.ceil(s.tools.length / (s.pageSize as number));
      seen.push(
        `${s.name}: ${names.length - missing.length} of ${names.length} tools (${downstreamPages} downstream pages of ${s.pageSize})`,
      );
      if (missing.length > 0) problems.push(`${s.name} tools missing: ${listOf(missing)}`);
    }
    seen.push(`the gateway listed ${tools.length} tool(s) in ${pages} page(s)`);
    const observed = [...problems, ...seen].join('; ');
    return problems.length === 0 ? pass(observed) : fail(observed);
  },
});
