import type { CallProbe } from '../session.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { catalogue, listOf } from './catalogue-util.js';
import { callEvidence, describeCall } from './resilience-util.js';
import { exposedPlainCalls, oneToolPerServer } from './session-footprint.js';

/**
 * A client lists tools and calls them right after initialize (most hosts do):
 * the gateway's first answers already hold the whole catalogue and reach
 * every server, not an empty list or "not ready" errors while it is still
 * connecting to them. A gateway that connects lazily on the first call is
 * fine as long as that call succeeds.
 */
export const toolsReadyAtHandshake = check({
  id: 'gateway.tools-ready-at-handshake',
  title: 'right after initialize, tools/list lists every tool and every server answers a call',
  suite: 'gateway',
  specRef:
    'practice: hosts list and call tools right after the handshake (MCP 2025-11-25 basic/lifecycle §Operation)',
  severity: 'should',
  expected:
    'a new session’s first tools/list, sent right after initialize, lists every tool the established session lists, ' +
    'and a call to a tool of every fleet server, sent at the same moment, succeeds',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const calls = await exposedPlainCalls(ctx);

    const fresh = await ctx.open({ label: 'tools-ready-at-handshake' });
    // Everything at once, as a host does right after the handshake.
    const [first, ...early] = await Promise.all([
      catalogue(ctx, fresh),
      ...calls.map((p) => fresh.call(p.name, p.args)),
    ]);
    const settled = await catalogue(ctx, ctx.session);
    if (settled.tools.length === 0) return fail('the established session lists no tools either');
    const listed = new Set(first.tools.map((t) => t.name));
    const missing = settled.tools.map((t) => t.name).filter((n) => !listed.has(n));

    // A call that fails right away counts only if the same call succeeds later (else the tool is just broken).
    const failedEarly: string[] = [];
    const broken: string[] = [];
    const evidence: Record<string, unknown> = {
      listedFirst: first.tools.length,
      listedLater: settled.tools.length,
    };
    for (const [i, p] of calls.entries()) {
      const e = early[i] as CallProbe;
      const again = e.outcome === 'ok' ? undefined : await fresh.call(p.name, p.args);
      evidence[p.logical] = { first: callEvidence(e), ...(again ? { later: callEvidence(again) } : {}) };
      if (!again) continue;
      if (again.outcome === 'ok') failedEarly.push(`${p.logical}: ${describeCall(e)}`);
      else broken.push(`${p.logical}: ${describeCall(again)}`);
    }
    const judged = calls.length - broken.length;
    const problems = [
      missing.length > 0
        ? `the first tools/list of a new session held ${first.tools.length} of ${settled.tools.length} tools; missing: ${listOf(missing)}`
        : '',
      failedEarly.length > 0
        ? `calls right after initialize failed but succeed later: ${failedEarly.join('; ')}`
        : '',
    ].filter(Boolean);
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    if (judged === 0)
      return blocked(
        calls.length === 0
          ? 'no fleet server has a tool the SUT exposes to call right after initialize'
          : `no call works even later: ${broken.join('; ')}`,
        'warm-up call',
      );
    const served = calls.filter((_, i) => (early[i] as CallProbe).outcome === 'ok').map((p) => p.logical);
    return pass(
      `the first tools/list of a new session held all ${settled.tools.length} tools; ` +
        `calls sent with it reached ${served.length} of ${oneToolPerServer(ctx).length} servers (${listOf(served)})` +
        (broken.length > 0 ? `; not judged (failing later too): ${broken.join('; ')}` : ''),
      evidence,
    );
  },
});
