import { isDeepStrictEqual } from 'node:util';
import type { Tool } from '@modelcontextprotocol/client';
import { clip } from '../../runner/outcome.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { catalogue, direct, listAll, listOf, networkServers } from './catalogue-util.js';

const show = (v: unknown) => clip(v === undefined ? 'none' : JSON.stringify(v), 120);

/** inputSchema and outputSchema of every tool reach the client exactly as the downstream lists them. */
export const schemasPreserved = check({
  id: 'gateway.schemas-preserved',
  title: 'tool inputSchema and outputSchema pass through unchanged',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §Tool (inputSchema, outputSchema); practice: an aggregator passes tool definitions through',
  severity: 'must',
  concurrent: true,
  expected: 'each exposed tool’s inputSchema and outputSchema equal those its downstream server lists',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const servers = networkServers(ctx).filter((s) => s.tools.length > 0);
    if (servers.length === 0) return skip('the fleet has no network server with tools to compare against');
    const { map } = await catalogue(ctx, ctx.session);
    const problems: string[] = [];
    let compared = 0;
    for (const s of servers) {
      const own = await listAll<Tool>(await direct(ctx, s.name), 'tools/list', ctx);
      for (const t of own.items) {
        const logical = `${s.name}.${t.name}`;
        const via = map.entries.find((e) => e.logical === logical)?.tool;
        if (!via) continue; // a missing tool is gateway.tools-exposed-once's finding
        compared++;
        for (const key of ['inputSchema', 'outputSchema'] as const) {
          if (!isDeepStrictEqual(via[key], t[key])) {
            problems.push(`${logical} ${key}: downstream ${show(t[key])}, exposed ${show(via[key])}`);
          }
        }
      }
    }
    const where = `compared ${compared} tool(s) of ${servers.map((s) => s.name).join(', ')}`;
    if (compared === 0) return blocked(`${where}: none of them is exposed`, 'gateway.tools-exposed-once');
    return problems.length === 0
      ? pass(`${where}: all schemas equal`)
      : fail(`${where}: ${problems.length} differ: ${listOf(problems, 4)}`, { differences: problems });
  },
});
