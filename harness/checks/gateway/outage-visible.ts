import { listenForChanges } from '../era-session.js';
import { warmUpFailed } from '../needs.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import {
  answeredWithError,
  boundMs,
  callEvidence,
  collect,
  describeCall,
  listedAs,
  ms,
  resolveTools,
  since,
  waitFor,
} from './resilience-util.js';

/** The tool of the backend taken down (its name is beta's own: no collision to resolve). */
const TOOL = 'lookup';
/** How long a list_changed may follow the list that no longer holds the down backend's tools. */
const NOTIFY_MS = 2000;

/**
 * While a backend is down, what a client sees says so: its tools stay listed
 * and a call to one fails with an error naming the server (or the tool), or
 * the gateway drops them and sends notifications/tools/list_changed. Tools
 * vanishing from tools/list with no notification leave a client calling
 * what it listed before, or silently missing them.
 */
export const outageVisible = check({
  id: 'gateway.outage-visible',
  title: 'a backend that is down is visible to the client',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §List Changed Notification (a server declaring listChanged SHOULD notify ' +
    'when its tool list changes) and practice: errors of a down backend name it',
  severity: 'should',
  disruptive: true,
  expected:
    `while beta is stopped, beta.${TOOL} stays listed and a call to it gets an error naming beta or ${TOOL} ` +
    `within the target's deadline + 1 s, or tools/list drops it and notifications/tools/list_changed arrives within ${NOTIFY_MS / 1000} s`,
  async run(ctx) {
    const s = ctx.session;
    if (!s) return skip('no single endpoint');
    const r = await resolveTools(ctx, [`beta.${TOOL}`]);
    if (!r.names) return r.verdict;
    const [name] = r.names as [string];
    const warm = await s.call(name, {});
    if (warm.outcome !== 'ok') return warmUpFailed(`beta.${TOOL}`, describeCall(warm));
    const listedBefore = listedAs(ctx, await s.tools(), 'beta', TOOL);
    if (!listedBefore) return blocked(`beta.${TOOL} answers but is not listed to begin with`, 'warm-up call');

    const seen = collect(s, 'notifications/tools/list_changed');
    ctx.defer(async () => s.connection.client.removeNotificationHandler('notifications/tools/list_changed'));
    await listenForChanges(ctx, s); // 2026-07-28: list changes come only on a subscriptions/listen stream
    const beta = ctx.mock('beta');
    ctx.defer(() => beta.restart());
    const t0 = performance.now();
    await beta.kill();
    // A client that listed the tool calls it; then lists again (a gateway may notice the outage only now).
    const call = await s.call(name, {}, { timeoutMs: boundMs(ctx) });
    const listedDuring = listedAs(ctx, await s.tools(), 'beta', TOOL);
    const listedAt = performance.now();
    if (!listedDuring) await waitFor(() => seen.length > 0, NOTIFY_MS, { signal: ctx.signal });
    const named = ['beta', TOOL].filter((n) => (call.message ?? '').includes(n));
    const evidence = {
      call: callEvidence(call),
      namesOrigin: named,
      listedDuring: listedDuring?.name ?? null,
      listChanged: seen.map((n) => ms(n.at - t0)),
      waitedMs: since(t0),
    };
    if (call.outcome === 'ok')
      return fail(`with beta stopped, a call to ${name} succeeded: ${describeCall(call)}`, evidence);
    if (!listedDuring) {
      const notified = seen.find((n) => n.at >= t0);
      return notified
        ? pass(
            `with beta stopped, tools/list dropped ${name} and list_changed arrived ${ms(notified.at - t0)} ms after the stop ` +
              `(the call: ${describeCall(call)})`,
            evidence,
          )
        : fail(
            `with beta stopped, ${name} vanished from tools/list and no notifications/tools/list_changed came within ` +
              `${ms(performance.now() - listedAt)} ms (the call: ${describeCall(call)})`,
            evidence,
          );
    }
    if (!answeredWithError(call))
      return fail(
        `${name} stays listed, but a call to it with beta stopped: ${describeCall(call)}`,
        evidence,
      );
    if (named.length === 0)
      return fail(
        `${name} stays listed, but the error for the stopped beta names neither beta nor ${TOOL}: ${describeCall(call)}`,
        evidence,
      );
    return pass(
      `${name} stays listed; a call to it fails naming ${named.join(', ')}: ${describeCall(call)}`,
      evidence,
    );
  },
});
