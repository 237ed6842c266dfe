import type { MockHandle } from '../../../mocks/server/handle.js';
import { nowUs } from '../../measure/clock.js';
import type { ToolSpec } from '../../schema/fleet.js';
import type { CheckContext } from '../context.js';
import { warmUpFailed } from '../needs.js';
import type { Session } from '../session.js';
import { skip, type Verdict } from '../types.js';
import { available, describeCall, ms, resolveTools, sleep } from './resilience-util.js';

/**
 * What client sessions leave behind downstream: the HTTP sessions a gateway
 * opened on the fleet's mocks for them and the stdio processes it started,
 * counted after the clients end one way or another (DELETE, or vanishing).
 * Downstreams shared by every client are opened before the count starts (a
 * warm-up on the main session), so they never count as growth.
 */

/** A tool that answers a plain success: no error, no fault, no request back to the client. */
function plainTool(t: ToolSpec, faulted: ReadonlySet<string> | 'all'): boolean {
  return (
    t.result.isError !== true &&
    !t.ask &&
    !t.handler &&
    !t.progress &&
    faulted !== 'all' &&
    !faulted.has(t.name)
  );
}

/** Arguments that satisfy a tool's required properties (a string or a number each). */
function argsFor(t: ToolSpec): Record<string, unknown> {
  const schema = (t.inputSchema ?? {}) as {
    required?: string[];
    properties?: Record<string, { type?: string }>;
  };
  return Object.fromEntries(
    (schema.required ?? []).map((k) => [k, schema.properties?.[k]?.type === 'number' ? 1 : 'ready?']),
  );
}

export interface PlainCall {
  logical: string;
  args: Record<string, unknown>;
}

/** One plain tool of every fleet server, as `server.tool` with arguments it accepts. */
export function oneToolPerServer(ctx: CheckContext): PlainCall[] {
  return ctx.fleet.spec.servers.flatMap((s) => {
    const faults = s.faults ?? [];
    const faulted: ReadonlySet<string> | 'all' = faults.some((f) => !('tools' in f) || !f.tools)
      ? 'all'
      : new Set(faults.flatMap((f) => ('tools' in f && f.tools ? f.tools : [])));
    const t = s.tools.find((x) => plainTool(x, faulted));
    return t ? [{ logical: `${s.name}.${t.name}`, args: argsFor(t) }] : [];
  });
}

/** oneToolPerServer, kept to the tools the SUT exposes, each with its exposed name. */
export async function exposedPlainCalls(ctx: CheckContext): Promise<Array<PlainCall & { name: string }>> {
  const plan = oneToolPerServer(ctx);
  const names = new Map(
    await available(
      ctx,
      plan.map((p) => p.logical),
    ),
  );
  return plan.flatMap((p) => {
    const name = names.get(p.logical);
    return name ? [{ ...p, name }] : [];
  });
}

/** The HTTP status a mock answers for a ping on one of its sessions (404: the session is gone). */
async function sessionStatus(url: string, sessionId: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 'mcp-harness-released', method: 'ping' }),
    signal: AbortSignal.timeout(2000),
  }).catch(() => undefined);
  await res?.body?.cancel().catch(() => {});
  return res?.status ?? 0;
}

/** Live stdio processes of a mock once the count has held still for 300 ms (bounded). */
async function settledInstances(m: MockHandle, signal: AbortSignal): Promise<number> {
  let last = m.instances();
  const until = performance.now() + 3000;
  while (performance.now() < until && !signal.aborted) {
    await sleep(150, signal);
    const now = m.instances();
    if (now === last) return now;
    last = now;
  }
  return last;
}

export interface Footprint {
  clients: number;
  /** Downstream HTTP sessions opened for the clients, and those still answering at the end. */
  http: { opened: number; live: number };
  /** stdio processes before the clients, with them open, and at the end. */
  stdio: { before: number; during: number; after: number };
  /** Per-client downstream sessions + processes left, per client session. */
  perSession: number;
  /** When everything per-client was gone, in ms after the clients ended. */
  releasedMs?: number;
  windowMs: number;
}

/**
 * Open `clients` sessions, call a plain tool of every server on each (so a
 * lazy gateway connects them too), end them with `end`, and watch for up to
 * `windowMs` until the gateway has released what it opened for them.
 */
export async function sessionFootprint(
  ctx: CheckContext,
  clients: number,
  end: (s: Session) => Promise<unknown>,
  windowMs: number,
): Promise<Footprint | Verdict> {
  const servers = ctx.fleet.spec.servers;
  // A stateless mock answers any session id: its sessions cannot be counted.
  const httpMocks = servers
    .filter((s) => s.transport === 'http' && !s.http.stateless)
    .map((s) => ctx.mock(s.name));
  const stdioMocks = servers.filter((s) => s.transport === 'stdio').map((s) => ctx.mock(s.name));
  if (httpMocks.length + stdioMocks.length === 0)
    return skip('no fleet server whose sessions can be counted (stateful Streamable HTTP or stdio)');
  const calls = await exposedPlainCalls(ctx);
  if (calls.length === 0) {
    // Why none: the first planned tool's own verdict (a code-mode gateway skips, a missing tool blocks).
    const first = oneToolPerServer(ctx)[0];
    const r = first ? await resolveTools(ctx, [first.logical]) : undefined;
    return r?.verdict ?? warmUpFailed('a tool of every fleet server', 'none is exposed');
  }
  // Shared downstreams are up before the count starts.
  for (const p of calls) {
    const c = await ctx.session!.call(p.name, p.args);
    if (c.outcome !== 'ok') return warmUpFailed(p.logical, describeCall(c));
  }
  const procs = () => stdioMocks.reduce((n, m) => n + m.instances(), 0);
  let before = 0;
  for (const m of stdioMocks) before += await settledInstances(m, ctx.signal);

  const t0 = nowUs();
  const sessions = await Promise.all(
    Array.from({ length: clients }, (_, i) => ctx.open({ label: `client ${i + 1} of ${clients}` })),
  );
  for (const s of sessions)
    for (const p of calls) {
      const c = await s.call(p.name, p.args);
      if (c.outcome !== 'ok') return warmUpFailed(`${p.logical} on a new session`, describeCall(c));
    }
  const during = procs();
  const opened: Array<{ url: string; id: string }> = [];
  for (const m of httpMocks) {
    const url = m.endpoint()?.url;
    const inits = await m.calls({ method: 'initialize', since: t0 });
    for (const id of new Set(inits.map((r) => r.connection))) if (url) opened.push({ url, id });
  }

  const tEnd = performance.now();
  await Promise.all(sessions.map((s) => end(s)));
  const liveHttp = async () =>
    (await Promise.all(opened.map((o) => sessionStatus(o.url, o.id)))).filter((st) => st !== 404).length;
  let live = opened.length;
  let releasedMs: number | undefined;
  const until = tEnd + windowMs;
  while (!ctx.signal.aborted) {
    live = await liveHttp();
    if (live === 0 && procs() <= before) {
      releasedMs = ms(performance.now() - tEnd);
      break;
    }
    if (performance.now() >= until) break;
    await sleep(100, ctx.signal);
  }
  const after = procs();
  return {
    clients,
    http: { opened: opened.length, live },
    stdio: { before, during, after },
    perSession: Math.round(((live + Math.max(0, after - before)) / clients) * 100) / 100,
    ...(releasedMs !== undefined ? { releasedMs } : {}),
    windowMs,
  };
}

/** `3 HTTP sessions and 3 processes opened for 3 clients` (what there was to release). */
export function describeOpened(f: Footprint): string {
  const procs = Math.max(0, f.stdio.during - f.stdio.before);
  return `${f.http.opened} downstream HTTP session(s) and ${procs} stdio process(es) opened for ${f.clients} client sessions`;
}

/** `2 HTTP sessions still answer, 3 processes over the 1 before` (what was left). */
export function describeLeft(f: Footprint): string {
  const extra = Math.max(0, f.stdio.after - f.stdio.before);
  return `${f.http.live} downstream HTTP session(s) still answer and ${extra} stdio process(es) remain over the ${f.stdio.before} before, ${f.windowMs} ms after the clients ended: ${f.perSession} per client session`;
}
