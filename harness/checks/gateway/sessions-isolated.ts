import { blocked, check, fail, pass, skip } from '../types.js';
import { collect, fleetTool, resolveTools, sleep, waitFor } from './resilience-util.js';

const WAIT_MS = 1000;
/** How long the other session keeps listening after the caller got its message. */
const QUIET_MS = 300;

/**
 * What a backend sends while serving one client session — its log messages,
 * its sampling requests — goes to that session only, never to another
 * client of the same gateway.
 */
export const sessionsIsolated = check({
  id: 'gateway.sessions-isolated',
  title: "one session's notifications and requests do not reach another session",
  suite: 'gateway',
  specRef:
    'practice: a gateway keeps client sessions apart (MCP 2025-11-25 basic/transports §Session Management; ' +
    'security best practices: no cross-session leakage)',
  severity: 'must',
  concurrent: true,
  expected:
    "the log message (and sampling request) caused by session A's call reach A only; session B receives none of them",
  async run(ctx) {
    if (!ctx.endpoint) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.log']);
    if (!r.names) return r.verdict;
    const [logTool] = r.names as [string];
    const sampleLogical = fleetTool(ctx, (t) => t.ask === 'sampling');
    const sampleTool = sampleLogical ? (await resolveTools(ctx, [sampleLogical])).names?.[0] : undefined;

    const sampling = { capabilities: { sampling: {} } };
    const a = await ctx.open({ label: 'session A', clientOptions: sampling });
    const b = await ctx.open({ label: 'session B', clientOptions: sampling });
    const asked = { a: 0, b: 0 };
    for (const [who, sess] of [
      ['a', a],
      ['b', b],
    ] as const) {
      sess.connection.client.setRequestHandler('sampling/createMessage', async () => {
        asked[who]++;
        return { model: `model-of-${who}`, role: 'assistant', content: { type: 'text', text: 'hi' } };
      });
    }
    await Promise.all([a.tools(), b.tools()]); // both sessions are connected downstream
    const logsA = collect(a, 'notifications/message');
    const logsB = collect(b, 'notifications/message');

    await a.call(logTool, {});
    if (sampleTool) await a.call(sampleTool, { prompt: 'for session A only' });
    await waitFor(() => logsA.length > 0, WAIT_MS, { signal: ctx.signal });
    await sleep(QUIET_MS, ctx.signal);
    const evidence = {
      logsSeenByA: logsA.length,
      logsSeenByB: logsB.length,
      ...(sampleTool ? { samplingAskedA: asked.a, samplingAskedB: asked.b } : {}),
    };
    const leaks: string[] = [];
    if (logsB.length > 0)
      leaks.push(`session B received ${logsB.length} log message(s) caused by session A's call`);
    if (asked.b > 0)
      leaks.push(`session B was asked ${asked.b} sampling request(s) caused by session A's call`);
    if (leaks.length > 0) return fail(leaks.join('; '), evidence);
    if (logsA.length === 0 && asked.a === 0)
      return blocked(
        'session A received neither its log message nor its sampling request: isolation cannot be observed',
        'gateway.logs-relayed',
      );
    return pass(
      `A received ${logsA.length} log message(s)${sampleTool ? ` and ${asked.a} sampling request(s)` : ''}; B received none`,
      evidence,
    );
  },
});
