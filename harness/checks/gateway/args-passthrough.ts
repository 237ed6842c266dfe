import { isDeepStrictEqual } from 'node:util';
import { nowUs } from '../../measure/clock.js';
import { clip } from '../../runner/outcome.js';
import { resolveTools } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import { callRaw, describeAnswer, differences, listOf, networkServers } from './catalogue-util.js';

const ARGS = {
  message: 'args-passthrough ✓ «ünïcode»',
  n: 42.5,
  nested: { list: [1, 'two', null, { deep: true }], empty: {}, zero: 0, no: false },
};
const META_KEY = 'dev.mcp-harness/probe';
const META_VALUE = { check: 'args-passthrough', n: 7 };

const show = (v: unknown) => clip(v === undefined ? 'nothing' : JSON.stringify(v), 160);

/** tools/call arguments, and vendor `_meta` keys, reach the downstream exactly as the client sent them. */
export const argsPassthrough = check({
  id: 'gateway.args-passthrough',
  title: 'tool arguments and _meta keys reach the downstream unchanged',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §Calling Tools, basic §_meta; practice: a gateway is transparent to arguments',
  severity: 'must',
  expected:
    'the downstream receives the same arguments object (nested values, unicode) and the same vendor _meta key the client sent',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const server = networkServers(ctx).find((s) => s.tools.some((t) => t.name === 'echo'));
    if (!server) return skip('no network server of the fleet has an echo tool');
    const logical = `${server.name}.echo`;
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const name = r.names[0] as string;

    const since = nowUs();
    const a = await callRaw(ctx, session, name, ARGS, { [META_KEY]: META_VALUE });
    const got = (await ctx.mock(server.name).calls({ tool: 'echo', since })).at(-1);
    if (!got) return fail(`${server.name} received no echo call (the call: ${describeAnswer(a)})`);
    const problems: string[] = [];
    const changed = differences(ARGS, got.arguments);
    if (changed.length > 0) problems.push(`arguments changed: ${listOf(changed, 4)}`);
    if (!isDeepStrictEqual(got.meta?.[META_KEY], META_VALUE)) {
      problems.push(`_meta['${META_KEY}'] sent ${show(META_VALUE)}, received ${show(got.meta?.[META_KEY])}`);
    }
    return problems.length === 0
      ? pass(`${logical} received the arguments and _meta['${META_KEY}'] unchanged`)
      : fail(problems.join('; '), {
          sent: { arguments: ARGS, meta: { [META_KEY]: META_VALUE } },
          received: { arguments: got.arguments, meta: got.meta },
        });
  },
});
