import type { Fleet } from '../../mocks/server/fleet.js';
import { SAMPLE_METRICS } from '../schema/sample.js';
import { attribute, collectRecords, propagation } from './attribution.js';
import type { Baselines } from './calibrate.js';
import type { ExecContext } from './context.js';
import { servedByResult } from './expect.js';

/**
 * After the steps: read the mocks' call logs once, attribute every call,
 * write downstream/overhead into its step result, record the downstream and
 * overhead samples, and settle the deferred `servedBy` expectations.
 */
export async function finishAttribution(ctx: ExecContext, fleet: Fleet, baselines: Baselines): Promise<void> {
  const lastUs = Math.max(0, ...ctx.calls.map((c) => c.t1));
  const records = await collectRecords(fleet, lastUs);
  const attributed = attribute(ctx.calls, records, ctx.plan.attribution);
  for (const a of attributed) {
    const { call } = a;
    const result = call.result;
    result.attribution = a.method;
    if (a.downstreamUs !== undefined) {
      const transport = ctx.target.connections.get(ctx.target.route(call.tool)?.client ?? '')?.endpoint
        .transport;
      const baseline = (transport && baselines[transport]) || 0;
      result.downstreamUs = a.downstreamUs;
      result.overheadUs = call.t1 - call.t0 - a.downstreamUs - baseline;
      ctx.sinks.record({
        metric: SAMPLE_METRICS.overhead,
        value: result.overheadUs,
        t: call.t1,
        traceId: call.traceId,
        tags: { scenario: ctx.plan.name, step: call.step, target: ctx.plan.targetName },
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
