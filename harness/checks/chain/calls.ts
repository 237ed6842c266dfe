import { nowUs } from '../../measure/clock.js';
import { clip, describeOutcome, textOf } from '../../runner/outcome.js';
import type { CallRecord } from '../../schema/call-log.js';
import type { CheckContext } from '../context.js';
import type { CallProbe } from '../session.js';
import type { StepRef } from './options.js';

/**
 * What the chain checks share: reading the downstream call logs (which may
 * lag a little behind the composite's answer: a stdio mock the chain spawned
 * pushes its records over the control plane), injecting faults on a step's
 * tool, and looking into a composite's answer.
 */

/** Every tools/call the named servers received, oldest first. */
async function readCalls(ctx: CheckContext, servers: Iterable<string>): Promise<CallRecord[]> {
  const lists = await Promise.all(
    [...new Set(servers)].map((s) => ctx.mock(s).calls({ method: 'tools/call' })),
  );
  return lists.flat().sort((a, b) => a.receivedUs - b.receivedUs);
}

/**
 * The downstream calls of `servers` once the logs have settled: every record
 * answered and `ready(calls)` true, or `waitMs` passed (then what is there).
 * `minWaitMs` waits at least that long (to see calls that should not come).
 */
export async function settledCalls(
  ctx: CheckContext,
  servers: Iterable<string>,
  opts: { ready?: (calls: CallRecord[]) => boolean; waitMs?: number; minWaitMs?: number } = {},
): Promise<CallRecord[]> {
  const names = [...servers];
  const start = Date.now();
  const until = start + (opts.waitMs ?? 3_000);
  for (;;) {
    const calls = await readCalls(ctx, names);
    const done = calls.every((c) => c.completedUs !== undefined) && (opts.ready?.(calls) ?? true);
    const waited = Date.now() - start >= (opts.minWaitMs ?? 0);
    if ((done && waited) || Date.now() >= until || ctx.signal.aborted) return calls;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const isCallOf = (step: StepRef) => (c: CallRecord) => c.mock === step.server && c.tool === step.tool;

/** The first call of each step (undefined when it never came). */
export function firstCalls(calls: CallRecord[], steps: readonly StepRef[]): Array<CallRecord | undefined> {
  return steps.map((s) => calls.find(isCallOf(s)));
}

/** Servers of some steps. */
export const serversOf = (steps: readonly StepRef[]) => [...new Set(steps.map((s) => s.server))];

/** A fault on one step's tool only (the fleet is restored after the check). */
export function faultOn(ctx: CheckContext, step: StepRef, fault: Record<string, unknown>): Promise<string> {
  return ctx.mock(step.server).addFault({ ...fault, tools: [step.tool] });
}

/** The JSON-RPC error the failure checks inject: recognisable in whatever the chain reports. */
export const INJECTED = { code: -32603, message: 'mcp-harness injected failure' };

export function injectProtocolError(ctx: CheckContext, step: StepRef): Promise<string> {
  return faultOn(ctx, step, { type: 'protocol-error', ...INJECTED });
}

export const structuredOf = (r: CallProbe): Record<string, unknown> | undefined => {
  const s = r.result?.structuredContent;
  return typeof s === 'object' && s !== null && !Array.isArray(s)
    ? (s as Record<string, unknown>)
    : undefined;
};

/** One line for a composite's answer: outcome, text and structuredContent, clipped. */
export function describeAnswer(r: CallProbe): string {
  if (r.outcome !== 'ok' && r.outcome !== 'isError') return describeOutcome(r);
  const s = structuredOf(r);
  const text = clip(textOf(r.result), 160);
  return `${r.outcome === 'isError' ? 'isError: true' : 'a result without isError'}; text ${JSON.stringify(text)}${
    s ? `; structuredContent ${clip(JSON.stringify(s), 240)}` : '; no structuredContent'
  }`;
}

/** `server.tool` of each call, in order. */
export const callNames = (calls: readonly CallRecord[]) => calls.map((c) => `${c.mock}.${c.tool}`);

/** The most calls in progress at one instant (an unanswered call counts until the end). */
export function maxConcurrent(calls: readonly CallRecord[]): number {
  const edges = calls.flatMap((c) => [
    { t: c.receivedUs, d: 1 },
    { t: c.completedUs ?? Number.POSITIVE_INFINITY, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of edges) {
    now += e.d;
    max = Math.max(max, now);
  }
  return max;
}

/** Everything a caller can read in an answer: the text and structuredContent (escaped newlines restored). */
export function readableOf(r: CallProbe): string {
  const s = r.result?.structuredContent;
  const json = s === undefined ? '' : JSON.stringify(s).replaceAll('\\n', '\n');
  return `${textOf(r.result)}\n${json}\n${r.message ?? ''}`;
}

export const ms = (us: number) => Math.round(us / 100) / 10;
export { nowUs };
