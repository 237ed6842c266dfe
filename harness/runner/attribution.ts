import { isDeepStrictEqual } from 'node:util';
import type { Fleet } from '../../mocks/server/fleet.js';
import type { CallRecord } from '../schema/call-log.js';
import type { Pattern } from '../schema/target.js';
import { splitLogical } from '../target/naming.js';
import { CORRELATION_ARG } from './call.js';
import type { CallTrace } from './context.js';

/**
 * Per-step attribution: match each call the harness made with the downstream
 * calls the mocks recorded, so end-to-end time splits into downstream service
 * time and the SUT's own overhead. Methods, best first:
 * - `traceparent`: the downstream `_meta.traceparent` carries the step's trace id;
 * - `argument`: the downstream arguments carry the unique value the harness added
 *   (attribution: argument);
 * - `match`: same server, tool and arguments, received inside the step's time window;
 * - `window`: any downstream call received inside the window of a step that ran
 *   alone (a chain that drops `_meta` and rewrites arguments);
 * - `none`: nothing matched.
 * Each downstream record is claimed by one step at most.
 */

export type AttributionMethod = 'traceparent' | 'argument' | 'match' | 'window' | 'none';

export interface Attributed {
  call: CallTrace;
  method: AttributionMethod;
  records: CallRecord[];
  /** Union of the records' service intervals (see unionUs). */
  downstreamUs: number | undefined;
}

export interface Propagation {
  traceContext: boolean | null;
  argumentsUnchanged: boolean | null;
}

/** Every tools/call record of the fleet, settled: waits (≤ settleMs) while calls before `untilUs` are pending. */
export async function collectRecords(fleet: Fleet, untilUs: number, settleMs = 500): Promise<CallRecord[]> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const lists = await Promise.all(
      [...fleet.mocks.values()].map((m) => m.calls({ method: 'tools/call' }).catch(() => [])),
    );
    const records = lists.flat();
    const pending = records.some((r) => r.outcome === 'pending' && r.receivedUs <= untilUs);
    if (!pending || Date.now() >= deadline) return records;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function attribute(
  calls: readonly CallTrace[],
  records: readonly CallRecord[],
  mode: 'auto' | 'traceparent' | 'argument' | 'none',
): Attributed[] {
  if (mode === 'none')
    return calls.map((call) => ({ call, method: 'none', records: [], downstreamUs: undefined }));
  const claimed = new Set<CallRecord>();
  const byTrace = new Map<string, CallRecord[]>();
  for (const r of records) {
    const id = traceIdOf(r.traceparent);
    if (id) byTrace.set(id, [...(byTrace.get(id) ?? []), r]);
  }
  const claim = (call: CallTrace, method: AttributionMethod, found: CallRecord[]): Attributed => {
    for (const r of found) claimed.add(r);
    return {
      call,
      method: found.length ? method : 'none',
      records: found,
      downstreamUs: found.length ? unionUs(found, call.t1) : undefined,
    };
  };
  const inWindow = (call: CallTrace) => (r: CallRecord) =>
    !claimed.has(r) && r.receivedUs >= call.t0 && r.receivedUs <= call.t1;

  // Pass 1: exact methods, so fuzzy matching later cannot steal their records.
  const exact = new Map<CallTrace, Attributed>();
  for (const call of calls) {
    const traced = (byTrace.get(call.traceId) ?? []).filter((r) => !claimed.has(r));
    if (traced.length > 0 && mode !== 'argument') exact.set(call, claim(call, 'traceparent', traced));
    else if (call.correlationId) {
      const tagged = records.filter(
        (r) => !claimed.has(r) && r.arguments?.[CORRELATION_ARG] === call.correlationId,
      );
      if (tagged.length > 0) exact.set(call, claim(call, 'argument', tagged));
    }
  }
  if (mode !== 'auto') return calls.map((c) => exact.get(c) ?? claim(c, 'none', []));

  // Pass 2: same tool and arguments in the window, then (steps that ran alone) anything in the window.
  return calls.map((call) => {
    const done = exact.get(call);
    if (done) return done;
    const { server, tool } = splitLogical(call.tool);
    const same = records.filter(
      (r) =>
        inWindow(call)(r) &&
        r.mock === server &&
        r.tool === tool &&
        isDeepStrictEqual(r.arguments ?? {}, call.args),
    );
    if (same.length > 0) return claim(call, 'match', call.concurrent ? same.slice(0, 1) : same);
    if (call.concurrent) return claim(call, 'none', []);
    return claim(call, 'window', records.filter(inWindow(call)));
  });
}

/**
 * Whether a gateway or chain passed the trace context and the arguments on
 * unchanged, over every attributed call (null: nothing to judge). Arguments
 * are judged only where the downstream tool is the called one (a gateway);
 * a chain's steps rewrite arguments by design.
 */
export function propagation(results: readonly Attributed[], pattern: Pattern): Propagation | undefined {
  if (pattern !== 'gateway' && pattern !== 'chain') return undefined;
  const matched = results.filter((a) => a.records.length > 0);
  const traceContext =
    matched.length === 0
      ? null
      : matched.every((a) => a.records.every((r) => traceIdOf(r.traceparent) === a.call.traceId));
  const direct = matched.filter((a) => a.records.some((r) => isSameTool(a.call.tool, r)));
  const argumentsUnchanged =
    pattern === 'chain' || direct.length === 0
      ? null
      : direct.every((a) =>
          a.records
            .filter((r) => isSameTool(a.call.tool, r))
            .every((r) => isDeepStrictEqual(r.arguments ?? {}, a.call.args)),
        );
  return { traceContext, argumentsUnchanged };
}

function isSameTool(logical: string, r: CallRecord): boolean {
  const { server, tool } = splitLogical(logical);
  return r.mock === server && r.tool === tool;
}

export function traceIdOf(traceparent: string | undefined): string | undefined {
  const m = traceparent ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent) : null;
  return m?.[1];
}

/**
 * Total time covered by the records' [received, completed] intervals, merged
 * where they overlap (parallel branches of a chain count once). Not clipped to
 * the step's window: mocks and harness share one µs clock, so downstream ≤
 * end-to-end is a property to check, not to enforce. A record never completed
 * (hung, dropped) runs to the end of the step (`t1`), when the harness gave up.
 */
export function unionUs(records: readonly CallRecord[], t1: number): number {
  const spans = records
    .map((r) => [r.receivedUs, r.completedUs ?? Math.max(t1, r.receivedUs)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (a >= end) {
      total += b - a;
      end = b;
    } else if (b > end) {
      total += b - end;
      end = b;
    }
  }
  return total;
}
