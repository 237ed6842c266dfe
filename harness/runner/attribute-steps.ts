import type { Fleet } from '../../mocks/server/fleet.js';
import { baselineAt, median, spreadOf, type TransportBaseline, warmDiffs } from '../measure/baseline.js';
import type { HistogramSummary } from '../schema/histogram.js';
import { SAMPLE_METRICS } from '../schema/sample.js';
import { attribute, collectRecords, propagation } from './attribution.js';
import type { Transport } from './calibrate.js';
import type { CallTrace, ExecContext } from './context.js';
import { servedByResult } from './expect.js';

export type BaselineModel = Partial<Record<Transport, TransportBaseline>>;

/**
 * After the steps: read the mocks' call logs once, attribute every call,
 * write downstream/overhead into its step result, record the downstream and
 * overhead samples, and settle the deferred `servedBy` expectations.
 * Overhead keeps its sign: end-to-end − downstream − the calibrated cost of
 * a call like this one (same transport, its concurrency, its index on its
 * connection, its time in the run; see measure/baseline.ts).
 */
export async function finishAttribution(
  ctx: ExecContext,
  fleet: Fleet,
  model: BaselineModel,
  concurrency = 1,
): Promise<void> {
  const lastUs = Math.max(0, ...ctx.calls.map((c) => c.t1));
  const records = await collectRecords(fleet, lastUs);
  const attributed = attribute(ctx.calls, records, ctx.plan.attribution);
  const indexOf = connectionIndexes(ctx);
  for (const a of attributed) {
    const { call } = a;
    const result = call.result;
    result.attribution = a.method;
    if (a.downstreamUs !== undefined) {
      const transport = transportOf(ctx, call);
      const tb = transport ? model[transport] : undefined;
      const baseline =
        (tb &&
          baselineAt(tb, {
            t: call.t0,
            concurrency: call.concurrent ? concurrency : 1,
            callIndex: indexOf.get(call) ?? 0,
          })) ??
        0;
      result.downstreamUs = a.downstreamUs;
      result.overheadUs = call.t1 - call.t0 - a.downstreamUs - baseline;
      ctx.sinks.record({
        metric: SAMPLE_METRICS.overhead,
        value: result.overheadUs,
        t: call.t1,
        traceId: call.traceId,
        tags: {
          scenario: ctx.plan.name,
          step: call.step,
          target: ctx.plan.targetName,
          ...(transport ? { transport } : {}),
        },
      });
      for (const r of a.records) {
        if (r.completedUs === undefined) continue;
        ctx.sinks.record({
          metric: SAMPLE_METRICS.downstreamDuration,
          value: r.completedUs - r.receivedUs,
          t: r.completedUs,
          traceId: call.traceId,
          tags: {
            scenario: ctx.plan.name,
            step: call.step,
            server: r.mock,
            tool: r.tool ?? '',
            outcome: r.outcome,
          },
        });
      }
    }
    if (call.servedBy !== undefined) {
      const servers = [...new Set(a.records.map((r) => r.mock))];
      const e = servedByResult(result.name, call.servedBy, servers, a.method !== 'none');
      result.expectations.push(e);
      if (e.status === 'fail') {
        result.status = 'fail';
        result.reason ??= e.observed;
      }
    }
  }
  ctx.propagation = propagation(attributed, ctx.plan.target.pattern);
}

function transportOf(ctx: ExecContext, call: CallTrace): Transport | undefined {
  return ctx.target.connections.get(ctx.target.route(call.tool)?.client ?? '')?.endpoint.transport;
}

/** Each call's index among the calls made on its connection (0: the first), in order of sending. */
function connectionIndexes(ctx: ExecContext): Map<CallTrace, number> {
  const seen = new Map<string, number>();
  const out = new Map<CallTrace, number>();
  for (const call of [...ctx.calls].sort((a, b) => a.t0 - b.t0)) {
    const client = ctx.target.route(call.tool)?.client ?? '';
    const i = seen.get(client) ?? 0;
    out.set(call, i);
    seen.set(client, i + 1);
  }
  return out;
}

/** The median warm cost per transport over the run (the report's `baselineUs`). */
export function baselineSummary(model: BaselineModel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [transport, tb] of Object.entries(model)) {
    const diffs = warmDiffs(tb as TransportBaseline);
    if (diffs.length > 0) out[transport] = Math.max(0, Math.round(median(diffs)));
  }
  return out;
}

/**
 * Error bars: each overhead histogram gets `errorUs`, half the interquartile
 * spread of the calibration subtracted from its values (its transport's warm
 * calls at concurrency 1).
 */
export function withErrorBars(encoded: HistogramSummary[], model: BaselineModel): HistogramSummary[] {
  return encoded.map((e) => {
    const tb = e.tags.transport ? model[e.tags.transport as Transport] : undefined;
    if (e.metric !== SAMPLE_METRICS.overhead || !tb) return e;
    return { ...e, errorUs: Math.round(spreadOf(warmDiffs(tb))) };
  });
}
