import { check, fail, pass, skip } from '../types.js';
import { catalogue, listOf } from './catalogue-util.js';

/**
 * A client lists tools right after initialize (most hosts do): the gateway's
 * first answer already holds the whole catalogue, not an empty or partial one
 * while it is still connecting to its servers.
 */
export const toolsReadyAtHandshake = check({
  id: 'gateway.tools-ready-at-handshake',
  title: 'tools/list right after initialize lists every tool',
  suite: 'gateway',
  specRef:
    'practice: hosts list tools once, right after the handshake (MCP 2025-11-25 basic/lifecycle §Operation)',
  severity: 'should',
  expected:
    'a new session’s first tools/list, sent right after initialize, lists every tool the established session lists',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const fresh = await ctx.open({ label: 'tools-ready-at-handshake' });
    const first = await catalogue(ctx, fresh);
    const settled = await catalogue(ctx, ctx.session);
    if (settled.tools.length === 0) return fail('the established session lists no tools either');
    const names = new Set(first.tools.map((t) => t.name));
    const missing = settled.tools.map((t) => t.name).filter((n) => !names.has(n));
    return missing.length === 0
      ? pass(`the first tools/list of a new session held all ${settled.tools.length} tools`)
      : fail(
          `the first tools/list of a new session held ${first.tools.length} of ${settled.tools.length} tools; missing: ${listOf(missing)}`,
        );
  },
});
