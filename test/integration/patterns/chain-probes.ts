import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import type { ChainDefect } from '../../../mocks/patterns/chain/index.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import {
  allCalls,
  callsOf,
  LEAK,
  maxConcurrent,
  resetFleet,
  structured,
  TRACEPARENT,
  textOf,
} from './chain-fixture.js';

/**
 * Small stand-ins for the chain conformance checks: each looks at one
 * property of a chain (through its answers and the mocks' call logs) and
 * returns why it fails, or undefined when it passes. Each defect of the
 * reference chain should make exactly its own probe fail.
 */

export interface ProbeContext {
  fleet: Fleet;
  client: Client;
}

export interface Probe {
  name: string;
  /** The defect this probe exposes. */
  defect: ChainDefect;
  run(ctx: ProbeContext): Promise<string | undefined>;
}

const fault = (ctx: ProbeContext, server: string, spec: Record<string, unknown>) =>
  ctx.fleet.mocks.get(server)!.addFault(spec);
const triage = (ctx: ProbeContext, meta?: Record<string, unknown>) =>
  ctx.client.callTool({
    name: 'triage',
    arguments: { id: 42, channel: 'dev' },
    ...(meta ? { _meta: meta } : {}),
  });
const corruptIndex = (ctx: ProbeContext) =>
  fault(ctx, 'repo', {
    type: 'protocol-error',
    code: -32603,
    message: 'index corrupt',
    tools: ['search_code'],
  });

export const PROBES: Probe[] = [
  {
    name: 'order',
    defect: 'wrong-order',
    async run(ctx) {
      await triage(ctx);
      const calls = await allCalls(ctx.fleet);
      const order = calls.map((c) => `${c.mock}.${c.tool}`).join(', ');
      if (order !== 'tracker.get_issue, repo.search_code, chat.post_message') return `called ${order}`;
      if (calls.some((c, i) => i > 0 && c.receivedUs < calls[i - 1]!.completedUs!)) return 'steps overlapped';
    },
  },
  {
    name: 'parallel fan-out',
    defect: 'serial-fanout',
    async run(ctx) {
      for (const s of ['tracker', 'repo', 'chat']) await fault(ctx, s, { type: 'latency', ms: 120 });
      await ctx.client.callTool({ name: 'gather', arguments: { q: 'x' } });
      const n = maxConcurrent(await allCalls(ctx.fleet));
      if (n !== 3) return `at most ${n} branch(es) in flight at once`;
    },
  },
  {
    name: 'partial results',
    defect: 'partial-swallowed',
    async run(ctx) {
      await fault(ctx, 'repo', { type: 'tool-error', message: 'index unavailable' });
      const r = await ctx.client.callTool({ name: 'gather', arguments: { q: 'x' } });
      const s = structured(r) ?? {};
      if (r.isError) return 'isError although two branches succeeded';
      if (Object.keys((s.results ?? {}) as object).join() !== 't,c')
        return `results ${JSON.stringify(s.results)}`;
      const failed = s.failed as Array<Record<string, unknown>> | undefined;
      if (
        failed?.length !== 1 ||
        failed[0]!.step !== 'r' ||
        failed[0]!.server !== 'repo' ||
        failed[0]!.tool !== 'echo'
      )
        return `failed list ${JSON.stringify(failed)}`;
    },
  },
  {
    name: 'short-circuit',
    defect: 'no-short-circuit',
    async run(ctx) {
      await corruptIndex(ctx);
      await triage(ctx);
      const failing = (await callsOf(ctx.fleet, 'repo', 'search_code'))[0];
      if (!failing) return 'the failing step was never called';
      const later = (await allCalls(ctx.fleet)).filter((c) => c.receivedUs > failing.completedUs!);
      if (later.length > 0)
        return `called after the failure: ${later.map((c) => `${c.mock}.${c.tool}`).join(', ')}`;
    },
  },
  {
    name: 'structured error',
    defect: 'unstructured-error',
    async run(ctx) {
      await corruptIndex(ctx);
      const r = await triage(ctx);
      const s = structured(r);
      if (!s) return `no structuredContent; text: ${textOf(r)}`;
      if (s.failedStep !== 'code' || s.server !== 'repo' || s.tool !== 'search_code')
        return `structuredContent ${JSON.stringify(s)}`;
      if (!String(s.error).includes('index corrupt') || !Array.isArray(s.completedSteps))
        return `structuredContent ${JSON.stringify(s)}`;
      if (!['"code"', 'repo', 'search_code', 'index corrupt'].every((w) => textOf(r).includes(w)))
        return `text ${textOf(r)}`;
    },
  },
  {
    name: 'error propagation',
    defect: 'error-as-success',
    async run(ctx) {
      await corruptIndex(ctx);
      const r = await triage(ctx);
      if (r.isError !== true) return `isError ${r.isError}: ${textOf(r)}`;
    },
  },
  {
    name: 'step timeout',
    defect: 'no-step-timeout',
    async run(ctx) {
      await fault(ctx, 'repo', { type: 'hang', tools: ['echo'] });
      const ac = new AbortController();
      const call = ctx.client.callTool({ name: 'quick', arguments: {} }, { signal: ac.signal });
      const bound = new Promise<'pending'>((r) => setTimeout(() => r('pending'), 1500));
      const r = await Promise.race([call, bound]);
      if (r === 'pending') {
        ac.abort(); // the chain hears notifications/cancelled and lets go of the downstream call
        await call.catch(() => undefined);
        return 'no answer within 1500 ms for a 200 ms step timeout';
      }
      if (!/timed out/.test(textOf(r))) return `text ${textOf(r)}`;
    },
  },
  {
    name: 'isolation',
    defect: 'shared-client',
    async run(ctx) {
      await fault(ctx, 'tracker', {
        type: 'latency',
        distribution: { kind: 'uniform', minMs: 20, maxMs: 60 },
      });
      const tags = Array.from({ length: 6 }, (_, i) => `caller-${i}`);
      const results = await Promise.all(
        tags.map((tag) => ctx.client.callTool({ name: 'tagged', arguments: { tag } })),
      );
      const got = results.map((r) => tagOf(r));
      if (got.some((t, i) => t !== tags[i])) return `callers got ${got.join(', ')}`;
      const conns = new Set((await callsOf(ctx.fleet, 'tracker')).map((c) => c.connection));
      if (conns.size !== tags.length)
        return `${tags.length} requests over ${conns.size} downstream connection(s)`;
    },
  },
  {
    name: 'trace propagation',
    defect: 'no-trace',
    async run(ctx) {
      await triage(ctx, { traceparent: TRACEPARENT });
      const calls = await allCalls(ctx.fleet);
      const bad = calls.filter((c) => c.traceparent !== TRACEPARENT);
      if (calls.length !== 3 || bad.length > 0)
        return `traceparent downstream: ${calls.map((c) => c.traceparent)}`;
    },
  },
  {
    name: 'arguments',
    defect: 'args-mutated',
    async run(ctx) {
      await ctx.client.callTool({ name: 'args', arguments: { n: 7, obj: { k: 'v' } } });
      const got = await Promise.all(
        ['tracker', 'repo'].map(async (s) => JSON.stringify((await callsOf(ctx.fleet, s))[0]?.arguments)),
      );
      const want = [{ n: 7, s: 'id-7', obj: { k: 'v' }, fixed: [1, 'x'] }, { n: 7 }].map((a) =>
        JSON.stringify(a),
      );
      if (got.join() !== want.join()) return `downstream arguments ${got.join(' ')}`;
    },
  },
  {
    name: 'no internals',
    defect: 'leak-internals',
    async run(ctx) {
      await corruptIndex(ctx);
      const a = await triage(ctx);
      await resetFleet(ctx.fleet);
      await fault(ctx, 'tracker', { type: 'tool-error', message: 'no such issue' });
      const b = await triage(ctx);
      for (const r of [a, b]) {
        const all = `${textOf(r)}\n${JSON.stringify(r.structuredContent ?? {}).replaceAll('\\n', '\n')}`;
        const m = LEAK.exec(all);
        if (m) return `leaked ${JSON.stringify(m[0].trim())}`;
      }
    },
  },
];

function tagOf(r: CallToolResult): string | undefined {
  const steps = structured(r)?.steps as Record<string, { structured?: { tag?: string } }> | undefined;
  return steps?.step1?.structured?.tag;
}

/** Run every probe (fleet reset around each); the names of the failing ones, with their reasons. */
export async function runProbes(ctx: ProbeContext): Promise<Record<string, string>> {
  const failures: Record<string, string> = {};
  for (const p of PROBES) {
    await resetFleet(ctx.fleet);
    try {
      const why = await p.run(ctx);
      if (why !== undefined) failures[p.name] = why;
    } catch (e) {
      failures[p.name] = `threw ${(e as Error).message}`;
    }
  }
  await resetFleet(ctx.fleet);
  return failures;
}
