import { nowUs } from '../../../harness/measure/clock.js';
import { eventually } from '../../helpers/mocks.js';
import { call, type DefectCase, outcome, type ProbeContext, tools } from './gateway-defect-cases.js';
import { INITIALIZE, MCP_HEADERS, sleep } from './gateway-setup.js';

/** Defect probes for resilience, notifications, sessions and HTTP rules (see gateway-defect-cases.ts). */

const hangStuck = (ctx: Pick<ProbeContext, 'mock'>) =>
  ctx.mock('search').addFault({ id: 'hang', type: 'hang', tools: ['stuck'] });
const unhangStuck = (ctx: Pick<ProbeContext, 'mock'>) => ctx.mock('search').removeFault('hang');
const restart = (name: string) => (ctx: Pick<ProbeContext, 'mock'>) => ctx.mock(name).restart();

/** Progress values that arrived before the result of search__slow. */
async function progressBeforeResult(ctx: ProbeContext): Promise<number[]> {
  const seen: number[] = [];
  let done = false;
  await (await ctx.client()).callTool(
    { name: 'search__slow', arguments: {} },
    { onprogress: (p) => (done ? undefined : seen.push(p.progress)) },
  );
  done = true;
  return seen;
}

/** Log messages a client got while search__slow ran (in `caller`'s session or another). */
async function logsSeen(ctx: ProbeContext, otherSession: boolean): Promise<number> {
  const caller = await ctx.client();
  const watcher = otherSession ? await ctx.g.connect() : caller;
  let n = 0;
  watcher.setNotificationHandler('notifications/message', () => {
    n++;
  });
  await caller.callTool({ name: 'search__slow', arguments: {} });
  await sleep(150);
  return n;
}

const post = (ctx: ProbeContext, headers: Record<string, string>, body: unknown = INITIALIZE) =>
  fetch(ctx.g.url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: JSON.stringify(body) });

export const RUNTIME_CASES: DefectCase[] = [
  {
    defect: 'no-timeout',
    shows: 'a call to a hung server is still pending after the timeout',
    before: hangStuck,
    after: unhangStuck,
    probe: async (ctx) => {
      const ac = new AbortController();
      const pending = outcome(
        (await ctx.client()).callTool({ name: 'search__stuck' }, { signal: ac.signal }),
      );
      const state = await Promise.race([pending, sleep(2300).then(() => 'pending')]);
      ac.abort();
      return state;
    },
    correct: { code: -32001 },
    defective: 'pending',
  },
  {
    defect: 'dead-backend-cascade',
    shows: 'once issues has died, calls to search fail too',
    after: restart('issues'),
    probe: async (ctx) => {
      await tools(ctx);
      await ctx.mock('issues').kill();
      await outcome(call(ctx, 'issues__get', { id: 1 }));
      return outcome(call(ctx, 'search__query', { q: 'x' }));
    },
    correct: { text: 'search for x' },
    defective: { code: -32000 },
  },
  {
    defect: 'down-at-start-fatal',
    shows: 'tools/list fails while a server down at start stays down',
    before: (ctx) => ctx.mock('issues').kill(),
    after: restart('issues'),
    probe: async (ctx) => {
      try {
        return (await tools(ctx)).length;
      } catch (e) {
        return { code: (e as { code?: number }).code };
      }
    },
    correct: 6,
    defective: { code: -32603 },
  },
  {
    defect: 'no-reconnect',
    shows: 'a server that died stays unreachable after it is back',
    after: restart('issues'),
    probe: async (ctx) => {
      await tools(ctx);
      await ctx.mock('issues').kill();
      await outcome(call(ctx, 'issues__get', { id: 1 }));
      await ctx.mock('issues').restart();
      return outcome(call(ctx, 'issues__get', { id: 2 }));
    },
    correct: { text: 'issue 2' },
    defective: { code: -32000 },
  },
  {
    defect: 'stale-session',
    shows: 'a 404 (expired downstream session) is not followed by a new session',
    after: (ctx) =>
      ctx
        .mock('issues')
        .removeFault('stale')
        .catch(() => false),
    probe: async (ctx) => {
      await tools(ctx);
      await ctx.mock('issues').addFault({ id: 'stale', type: 'http-status', status: 404, for: 1 });
      return outcome(call(ctx, 'issues__get', { id: 3 }));
    },
    correct: { text: 'issue 3' },
    defective: { code: -32000 },
  },
  {
    defect: 'no-failover',
    shows: 'the second replica is not tried when the first is down',
    before: (ctx) => ctx.mock('r1').kill(),
    after: restart('r1'),
    probe: (ctx) => outcome(call(ctx, 'rep__q')),
    correct: { text: 'from r2' },
    defective: { code: -32000 },
  },
  {
    defect: 'list-changed-dropped',
    shows: 'no tools/list_changed reaches the client when a server changes its tools',
    probe: async (ctx) => {
      const c = await ctx.client();
      await c.listTools();
      let changed = 0;
      c.setNotificationHandler('notifications/tools/list_changed', () => {
        changed++;
      });
      await ctx.mock('issues').addTool({ name: 'extra' });
      await sleep(400);
      await ctx.mock('issues').removeTool('extra');
      return changed > 0;
    },
    correct: true,
    defective: false,
  },
  {
    defect: 'progress-dropped',
    shows: 'no progress reaches the client',
    probe: progressBeforeResult,
    correct: [1, 2, 3],
    defective: [],
  },
  {
    defect: 'progress-after-result',
    shows: 'no progress arrives before the result',
    probe: progressBeforeResult,
    correct: [1, 2, 3],
    defective: [],
  },
  {
    defect: 'cancel-dropped',
    shows: 'the downstream never hears of the cancellation',
    before: hangStuck,
    after: unhangStuck,
    probe: async (ctx) => {
      const since = nowUs();
      const ac = new AbortController();
      const pending = (await ctx.client()).callTool({ name: 'search__stuck' }, { signal: ac.signal });
      pending.catch(() => {});
      const record = async () => (await ctx.mock('search').calls({ tool: 'stuck', since })).at(-1);
      await eventually(record);
      ac.abort('no longer needed');
      await sleep(400);
      return (await record())?.cancelled === true;
    },
    correct: true,
    defective: false,
  },
  {
    defect: 'logs-dropped',
    shows: 'logging messages do not reach the client',
    probe: (ctx) => logsSeen(ctx, false),
    correct: 1,
    defective: 0,
  },
  {
    defect: 'notifications-leak',
    shows: "another session receives this session's logging messages",
    probe: (ctx) => logsSeen(ctx, true),
    correct: 0,
    defective: 1,
  },
  {
    defect: 'crossed-responses',
    shows: 'concurrent calls get results meant for other calls',
    probe: async (ctx) => {
      const c = await ctx.client();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => c.callTool({ name: 'search__echo', arguments: { i } })),
      );
      return results.some((r, i) => (r.structuredContent as { i?: number }).i !== i);
    },
    correct: false,
    defective: true,
  },
  {
    defect: 'session-leak',
    shows: 'downstream sessions stay open after the client session ended',
    probe: async (ctx) => {
      const c = await ctx.g.connect();
      await c.listTools();
      await (c.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
      await sleep(300);
      return ctx.g.gateway.downstreamConnections();
    },
    correct: 0,
    defective: 4,
  },
  {
    defect: 'tools-late',
    shows: 'tools/list right after the handshake is empty',
    probe: async (ctx) => (await tools(ctx)).length,
    correct: 8,
    defective: 0,
  },
  {
    defect: 'no-ping',
    shows: 'ping is not answered',
    probe: async (ctx) =>
      (await ctx.client()).ping().then(
        () => 'pong',
        (e: { code?: number }) => ({ code: e.code }),
      ),
    correct: 'pong',
    defective: { code: -32601 },
  },
  {
    defect: 'session-not-validated',
    shows: 'an unknown Mcp-Session-Id is not answered 404',
    probe: async (ctx) => {
      const res = await post(ctx, { 'mcp-session-id': 'nope' }, { jsonrpc: '2.0', id: 2, method: 'ping' });
      await res.body?.cancel();
      return res.status;
    },
    correct: 404,
    defective: 400,
  },
  {
    defect: 'no-origin-check',
    shows: 'a foreign Origin is accepted',
    probe: async (ctx) => {
      const res = await post(ctx, { origin: 'http://evil.example' });
      await res.body?.cancel();
      return res.status;
    },
    correct: 403,
    defective: 200,
  },
  {
    defect: 'oversize-crash',
    shows: 'after a 1.5 MB request the gateway no longer answers',
    probe: async (ctx) => {
      const big = { ...INITIALIZE, params: { ...INITIALIZE.params, _meta: { pad: 'x'.repeat(1_500_000) } } };
      await post(ctx, {}, big).then(
        (r) => r.body?.cancel(),
        () => undefined,
      );
      return post(ctx, {}).then(
        async (r) => {
          await r.body?.cancel();
          return 'answering';
        },
        () => 'gone',
      );
    },
    correct: 'answering',
    defective: 'gone',
  },
];
