import { isDeepStrictEqual } from 'node:util';
import { clip } from '../../runner/outcome.js';
import { resolveTools } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import { answer, callRaw, describeAnswer, direct, networkServers } from './catalogue-util.js';

const show = (v: unknown) => clip(v === undefined ? 'nothing' : JSON.stringify(v), 160);

/**
 * A result with every content type (text, image, audio, resource_link,
 * embedded resource) and structuredContent arrives exactly as the downstream
 * sent it (compared with the same call made straight to the mock).
 */
export const contentPreserved = check({
  id: 'gateway.content-preserved',
  title: 'result content of every type and structuredContent pass through unchanged',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/tools §Tool Result (content types, structuredContent)',
  severity: 'must',
  concurrent: true,
  expected:
    'the gateway’s result has the same content blocks, in order, and the same structuredContent as the downstream’s',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const pick = networkServers(ctx)
      .flatMap((s) => s.tools.map((t) => ({ server: s.name, tool: t })))
      .map((x) => ({ ...x, kinds: new Set((x.tool.result.content ?? []).map((c) => c.type)) }))
      .sort((a, b) => b.kinds.size - a.kinds.size)[0];
    if (!pick || pick.kinds.size < 2)
      return skip('no network tool of the fleet answers with several content types');
    const logical = `${pick.server}.${pick.tool.name}`;
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const name = r.names[0] as string;

    const via = await callRaw(ctx, session, name, {});
    const own = await answer(
      (await direct(ctx, pick.server)).request(
        { method: 'tools/call', params: { name: pick.tool.name, arguments: {} } },
        { timeout: ctx.timeoutMs, signal: ctx.signal },
      ),
    );
    if (own.kind !== 'result')
      return fail(`the downstream itself failed: ${describeAnswer(own)} (a fleet problem)`);
    if (via.kind !== 'result') return fail(`${name}: ${describeAnswer(via)}`);
    const problems: string[] = [];
    for (const key of ['content', 'structuredContent', 'isError'] as const) {
      if (!isDeepStrictEqual(via.result[key], own.result[key])) {
        problems.push(`${key}: downstream ${show(own.result[key])}, gateway ${show(via.result[key])}`);
      }
    }
    const kinds = [...pick.kinds].join(', ');
    return problems.length === 0
      ? pass(`${logical}: content (${kinds}) and structuredContent identical`)
      : fail(`${logical}: ${problems.join('; ')}`, { downstream: own.result, gateway: via.result });
  },
});
