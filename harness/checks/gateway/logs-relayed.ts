import { check, fail, pass, skip } from '../types.js';
import { callEvidence, collect, describeCall, ms, resolveTools, waitFor } from './resilience-util.js';

const WAIT_MS = 1000;

/** Log messages a backend sends while serving a call reach the client of that call. */
export const logsRelayed = check({
  id: 'gateway.logs-relayed',
  title: "a backend's log messages reach the client",
  suite: 'gateway',
  // 2026-07-28 sends log messages only at the level a request asks for: modern.log-level.
  eras: ['legacy'],
  specRef:
    'practice: a gateway relays downstream notifications/message to the client of the call ' +
    '(MCP 2025-11-25 server/utilities/logging)',
  severity: 'should',
  concurrent: true,
  expected: `a call to alpha.log (which logs one message) makes the client receive that notifications/message within ${WAIT_MS} ms`,
  async run(ctx) {
    const s = ctx.session;
    if (!s) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.log']);
    if (!r.names) return r.verdict;
    const [name] = r.names as [string];
    const seen = collect<{ level?: string; data?: unknown; logger?: string }>(s, 'notifications/message');
    ctx.defer(async () => s.connection.client.removeNotificationHandler('notifications/message'));
    const t0 = performance.now();
    const call = await s.call(name, {});
    await waitFor(() => seen.length > 0, WAIT_MS, { signal: ctx.signal });
    const evidence = {
      call: callEvidence(call),
      messages: seen.map((m) => ({ ...m.params, atMs: ms(m.at - t0) })),
    };
    if (call.outcome !== 'ok') return fail(`the call failed: ${describeCall(call)}`, evidence);
    if (seen.length === 0) return fail(`no notifications/message within ${WAIT_MS} ms of the call`, evidence);
    const first = seen[0]!;
    return pass(
      `${seen.length} message(s); first: ${first.params.level} ${JSON.stringify(first.params.data)} after ${ms(first.at - t0)} ms`,
      evidence,
    );
  },
});
