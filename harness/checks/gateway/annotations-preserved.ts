import { isDeepStrictEqual } from 'node:util';
import type { Tool } from '@modelcontextprotocol/client';
import { clip } from '../../runner/outcome.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { catalogue, direct, listAll, listOf, networkServers } from './catalogue-util.js';

const show = (v: unknown) => clip(v === undefined ? 'none' : JSON.stringify(v), 120);

/** Tool annotations (and title) reach the client exactly as the downstream lists them. */
export const annotationsPreserved = check({
  id: 'gateway.annotations-preserved',
  title: 'tool annotations and title pass through unchanged',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §Tool (annotations, title); practice: an aggregator passes tool definitions through',
  severity: 'should',
  concurrent: true,
  expected: 'each exposed tool’s annotations and title equal those its downstream server lists',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const servers = networkServers(ctx).filter((s) => s.tools.some((t) => t.annotations || t.title));
    if (servers.length === 0)
      return skip('no network server of the fleet has a tool with annotations or a title');
    const { map } = await catalogue(ctx, ctx.session);
    const problems: string[] = [];
    let compared = 0;
    for (const s of servers) {
      const own = await listAll<Tool>(await direct(ctx, s.name), 'tools/list', ctx);
      for (const t of own.items.filter((x) => x.annotations !== undefined || x.title !== undefined)) {
        const logical = `${s.name}.${t.name}`;
        const via = map.entries.find((e) => e.logical === logical)?.tool;
        if (!via) continue; // a missing tool is gateway.tools-exposed-once's finding
        compared++;
        for (const key of ['annotations', 'title'] as const) {
          if (!isDeepStrictEqual(via[key], t[key])) {
            problems.push(`${logical} ${key}: downstream ${show(t[key])}, exposed ${show(via[key])}`);
          }
        }
      }
    }
    const where = `compared ${compared} annotated tool(s) of ${servers.map((s) => s.name).join(', ')}`;
    if (compared === 0) return blocked(`${where}: none of them is exposed`, 'gateway.tools-exposed-once');
    return problems.length === 0
      ? pass(`${where}: annotations and titles equal`)
      : fail(`${where}: ${problems.length} differ: ${listOf(problems, 4)}`, { differences: problems });
  },
});
