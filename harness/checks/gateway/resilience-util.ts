import type { Tool } from '@modelcontextprotocol/client';
import { nowUs } from '../../measure/clock.js';
import { formatMs } from '../../report/format.js';
import { sleep as runnerSleep } from '../../runner/deadline.js';
import { clip, describeOutcome, textOf } from '../../runner/outcome.js';
import type { ToolSpec } from '../../schema/fleet.js';
import { originTagsIn } from '../../target/naming.js';
import type { CheckContext } from '../context.js';
import type { CallProbe, Session } from '../session.js';

/**
 * Shared pieces of the gateway's resilience, notification and session checks:
 * the time bound a gateway must answer within, bounded polling, name
 * resolution that says why a check cannot run, and call descriptions.
 */

/** How long past its deadline an answer still counts as in time (the harness's own side of the wire). */
export const GRACE_MS = 1000;

/** The least the harness waits for an answer before calling a call hung. */
export const MIN_WAIT_MS = 10_000;

/** The deadline the SUT must meet for a call it cannot serve (the target's `deadlineMs`, default 30 s). */
export const deadlineMs = (ctx: CheckContext): number => ctx.target.spec.deadlineMs;

/** The bound within which the gateway must answer a call it cannot serve: its deadline + 1 s. */
export const boundMs = (ctx: CheckContext): number => deadlineMs(ctx) + GRACE_MS;

/**
 * How long the harness waits for such an answer: twice the deadline, at least
 * 10 s. An answer after the bound but within the wait is slow (reported with
 * its time); only no answer within the wait is a hang.
 */
export const waitForDeadline = (deadline: number): number => Math.max(2 * deadline, MIN_WAIT_MS);

export const waitMs = (ctx: CheckContext): number => waitForDeadline(deadlineMs(ctx));

/**
 * How a call the SUT cannot serve was answered, against the deadline: `hung`
 * (no answer within the wait), `slow` (answered after the bound) or `in time`;
 * with the measured time to the answer.
 */
export function timing(
  ctx: CheckContext,
  p: CallProbe,
): { verdict: 'hung' | 'slow' | 'in time'; timeToAnswerMs?: number; says: string } {
  const deadline = deadlineMs(ctx);
  if (p.outcome === 'timeout')
    return {
      verdict: 'hung',
      says: `no answer within ${waitMs(ctx)} ms (the harness's wait; deadline ${deadline} ms): the call hangs`,
    };
  const t = ms(p.durationMs);
  if (p.durationMs > boundMs(ctx))
    return {
      verdict: 'slow',
      timeToAnswerMs: t,
      says: `answered after ${formatMs(t)}, deadline ${formatMs(deadline)}: slow, not hung`,
    };
  return {
    verdict: 'in time',
    timeToAnswerMs: t,
    says: `answered after ${formatMs(t)} (deadline ${formatMs(deadline)})`,
  };
}

/** Milliseconds rounded to 0.1 for evidence. */
export const ms = (n: number): number => Math.round(n * 10) / 10;

export const since = (t0: number): number => ms(performance.now() - t0);

/** The runner's sleep, ending early and quietly (resolving) when the check's signal aborts. */
export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  return runnerSleep(delayMs, signal, { quiet: true });
}

/** Poll `fn` until it returns a truthy value or `timeoutMs` passes; the value, or undefined. */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  timeoutMs: number,
  opts: { stepMs?: number; signal?: AbortSignal } = {},
): Promise<T | undefined> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (performance.now() >= until || opts.signal?.aborted) return undefined;
    await sleep(Math.min(opts.stepMs ?? 50, Math.max(1, until - performance.now())), opts.signal);
  }
}

/** A call the gateway answered with an error (JSON-RPC error or isError result): not ok, not a hang. */
export const answeredWithError = (p: CallProbe): boolean => p.outcome === 'error' || p.outcome === 'isError';

/** `ok`, `JSON-RPC error -32001: …` or `timeout: …`, with the time it took. */
export function describeCall(p: CallProbe): string {
  return `${describeOutcome(p)} after ${Math.round(p.durationMs)} ms`;
}

/** A call probe as evidence. */
export function callEvidence(p: CallProbe): Record<string, unknown> {
  return {
    outcome: p.outcome,
    durationMs: ms(p.durationMs),
    ...(p.code !== undefined ? { code: p.code } : {}),
    ...(p.message !== undefined ? { message: clip(p.message) } : {}),
    ...(p.outcome === 'ok' ? { text: clip(textOf(p.result)) } : {}),
  };
}

export { type RenewingSession, renewing, sessionExpired } from './renewing-session.js';

import { resolveTools } from '../needs.js';

export { available, type Resolved, resolveTools } from '../needs.js';

/** A listed tool that a mock tagged `[origin:server/tool]`, or that the naming maps to it. */
export function listedAs(
  ctx: CheckContext,
  tools: readonly Tool[],
  server: string,
  tool: string,
): Tool | undefined {
  const exposed = ctx.exposed(`${server}.${tool}`);
  return tools.find(
    (t) =>
      originTagsIn(t.description).some((o) => o.server === server && o.tool === tool) ||
      (exposed !== undefined && t.name === exposed),
  );
}

/** The logical name of the first fleet tool matching `pred`. */
export function fleetTool(ctx: CheckContext, pred: (tool: ToolSpec) => boolean): string | undefined {
  for (const s of ctx.fleet.spec.servers) {
    const t = s.tools.find(pred);
    if (t) return `${s.name}.${t.name}`;
  }
  return undefined;
}

/** Messages of `method` a session's client receives, with when they arrived (performance.now()). */
export function collect<T = Record<string, unknown>>(
  session: Session,
  method: 'notifications/message' | 'notifications/tools/list_changed' | 'notifications/progress',
): Array<{ params: T; at: number }> {
  const seen: Array<{ params: T; at: number }> = [];
  session.connection.client.setNotificationHandler(method, (n: { params?: unknown }) => {
    seen.push({ params: (n.params ?? {}) as T, at: performance.now() });
  });
  return seen;
}

/** How long after the result late progress notifications are still collected. */
export const LATE_MS = 300;

export interface ProgressNote {
  progress: number;
  total?: number;
  /** ms after the call was sent */
  atMs: number;
  beforeResult: boolean;
}

export interface ProgressRun {
  call: CallProbe;
  token: string;
  /** Progress notifications for our token, in arrival order. */
  notes: ProgressNote[];
  /** Progress notifications carrying another token. */
  foreign: number;
  resultAtMs: number;
  /** What the backend got and sent. */
  downstream: { received: boolean; token: boolean; sent: number };
}

/**
 * Call alpha.progress with a progressToken on a fresh session, record every
 * notifications/progress (ours and others) with its arrival time, and keep
 * listening for LATE_MS after the result. Undefined with the reason when the
 * fleet or SUT lacks the tool.
 */
export async function runProgress(ctx: CheckContext): Promise<ProgressRun | string> {
  if (!ctx.endpoint) return 'no single endpoint';
  const r = await resolveTools(ctx, ['alpha.progress']);
  if (!r.names) return r.missing;
  const [name] = r.names as [string];
  const s = await ctx.open({ label: 'progress session' });
  // Replaces the SDK's own progress routing: every notification is seen, also one after the result.
  const seen = collect<{ progressToken?: unknown; progress?: number; total?: number }>(
    s,
    'notifications/progress',
  );
  const token = `mcp-harness-progress-${Math.random().toString(36).slice(2, 10)}`;
  const t0us = nowUs();
  const t0 = performance.now();
  const call = await s.call(name, {}, { meta: { progressToken: token } });
  const resultAt = performance.now();
  await sleep(LATE_MS, ctx.signal);
  const ours = seen.filter((n) => n.params.progressToken === token);
  const [record] = await ctx.mock('alpha').calls({ tool: 'progress', since: t0us });
  return {
    call,
    token,
    notes: ours.map((n) => ({
      progress: Number(n.params.progress),
      ...(n.params.total !== undefined ? { total: n.params.total } : {}),
      atMs: ms(n.at - t0),
      beforeResult: n.at < resultAt,
    })),
    foreign: seen.length - ours.length,
    resultAtMs: ms(resultAt - t0),
    downstream: {
      received: record !== undefined,
      token: record?.progressToken !== undefined,
      sent: record?.sent.filter((x) => x.method === 'notifications/progress').length ?? 0,
    },
  };
}
