import { nowUs } from '../../measure/clock.js';
import { listenForChanges } from '../era-session.js';
import { check, fail, pass, skip } from '../types.js';
import {
  callEvidence,
  collect,
  describeCall,
  listedAs,
  ms,
  resolveTools,
  since,
  waitFor,
} from './resilience-util.js';

/** The tool a check adds to alpha (and removes again). */
const ADDED = 'mcp_harness_added';
/** How long the relayed notification may take. */
const NOTIFY_MS = 2000;

/**
 * A gateway that declares tools.listChanged relays a backend's
 * notifications/tools/list_changed, lists the new tool afterwards, and routes
 * a call to it (listed but not callable is a defect too).
 */
export const listChangedRelayed = check({
  id: 'gateway.list-changed-relayed',
  title: "a backend's tools/list_changed reaches the client",
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §List Changed Notification (a server declaring listChanged SHOULD ' +
    'notify when its tool list changes)',
  severity: 'should',
  expected: `when alpha adds a tool, the client receives notifications/tools/list_changed within ${NOTIFY_MS / 1000} s, tools/list then includes it, and a call to it reaches alpha and succeeds`,
  async run(ctx) {
    const s = ctx.session;
    if (!s) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.echo']);
    if (!r.names) return r.verdict;
    const caps = s.connection.client.getServerCapabilities();
    await s.tools(); // the gateway is connected to alpha from here on
    const seen = collect(s, 'notifications/tools/list_changed');
    ctx.defer(async () => s.connection.client.removeNotificationHandler('notifications/tools/list_changed'));
    await listenForChanges(ctx, s); // 2026-07-28: list changes come only on a subscriptions/listen stream

    const alpha = ctx.mock('alpha');
    const t0 = performance.now();
    await alpha.addTool({
      name: ADDED,
      description: 'added by gateway.list-changed-relayed',
      result: { text: 'added' },
    });
    ctx.defer(() => alpha.removeTool(ADDED));
    await waitFor(() => seen.length > 0, NOTIFY_MS, { signal: ctx.signal });
    const notifiedMs = seen[0] ? ms(seen[0].at - t0) : undefined;
    const tools = await s.tools();
    const added = listedAs(ctx, tools, 'alpha', ADDED);
    const callUs = nowUs();
    const call = added ? await s.call(added.name, {}) : undefined;
    const arrived = call ? (await alpha.calls({ tool: ADDED, since: callUs })).length > 0 : false;
    const evidence = {
      declaresListChanged: caps?.tools?.listChanged === true,
      notifications: seen.length,
      notifiedMs,
      listedAs: added?.name ?? null,
      ...(call ? { call: callEvidence(call), reachedAlpha: arrived } : {}),
      waitedMs: since(t0),
    };
    if (!seen.length)
      return fail(
        `no notifications/tools/list_changed within ${NOTIFY_MS} ms after alpha added a tool` +
          (added ? ` (tools/list does show it as ${added.name})` : ''),
        evidence,
      );
    if (!added || !call)
      return fail(
        `list_changed arrived after ${notifiedMs} ms, but tools/list does not include alpha's new tool`,
        evidence,
      );
    if (call.outcome !== 'ok' || !arrived)
      return fail(
        `list_changed arrived after ${notifiedMs} ms and tools/list shows the new tool as ${added.name}, ` +
          `but calling it: ${describeCall(call)}${arrived ? '' : ' (the call never reached alpha)'}`,
        evidence,
      );
    return pass(
      `list_changed arrived ${notifiedMs} ms after alpha added a tool; listed as ${added.name} and callable (${describeCall(call)})`,
      evidence,
    );
  },
});
