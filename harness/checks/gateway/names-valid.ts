import { check, fail, pass, skip } from '../types.js';
import { catalogue, listOf } from './catalogue-util.js';

const VALID = /^[A-Za-z0-9_.-]{1,128}$/;

/** Every exposed tool name keeps to the spec's name rules (prefixing must not break them). */
export const namesValid = check({
  id: 'gateway.names-valid',
  title: 'exposed tool names are 1–128 characters of [A-Za-z0-9_.-]',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/tools §Tool Names',
  severity: 'should',
  concurrent: true,
  expected: 'every name tools/list returns is 1 to 128 characters, each one of A-Z a-z 0-9 _ - .',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const { tools } = await catalogue(ctx, ctx.session);
    if (tools.length === 0) return fail('tools/list returned no tools to judge');
    const bad = tools
      .map((t) => t.name)
      .filter((n) => typeof n !== 'string' || !VALID.test(n))
      .map((n) => JSON.stringify(n));
    return bad.length === 0
      ? pass(`all ${tools.length} names are valid`)
      : fail(`${bad.length} of ${tools.length} names are invalid: ${listOf(bad)}`, { invalid: bad });
  },
});
