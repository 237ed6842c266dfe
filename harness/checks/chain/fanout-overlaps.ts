import { check, fail, pass } from '../types.js';
import {
  callNames,
  describeAnswer,
  faultOn,
  firstCalls,
  maxConcurrent,
  ms,
  serversOf,
  settledCalls,
} from './calls.js';
import { fanoutOf, isVerdict } from './options.js';

/** A fan-out's branches run concurrently: with every branch slowed down, all are in flight at once. */
export const fanoutOverlaps = check({
  id: 'chain.fanout-overlaps',
  title: "a fan-out's branches run concurrently",
  suite: 'chain',
  specRef: 'practice: composite tools (fan-out branches are independent and run in parallel)',
  severity: 'must',
  expected:
    'with every branch slowed down, the branches of the fan-out are in flight downstream at the same time, not one after another',
  async run(ctx) {
    const got = fanoutOf(ctx);
    if (isVerdict(got)) return got;
    const { f } = got;
    for (const b of f.branches) await faultOn(ctx, b, { type: 'latency', ms: f.delayMs });
    const r = await ctx.session!.call(f.tool, f.args);
    const calls = await settledCalls(ctx, serversOf(f.branches), {
      ready: (c) => firstCalls(c, f.branches).every(Boolean),
    });
    const branchCalls = firstCalls(calls, f.branches);
    const missing = f.branches.filter((_, i) => !branchCalls[i]).map((b) => b.call);
    const seen = branchCalls.filter((c) => c !== undefined);
    const inFlight = maxConcurrent(seen);
    const t0 = Math.min(...seen.map((c) => c.receivedUs));
    const spans = seen.map(
      (c) =>
        `${c.mock}.${c.tool} ${ms(c.receivedUs - t0)}–${c.completedUs === undefined ? '…' : ms(c.completedUs - t0)} ms`,
    );
    const evidence = {
      calls: callNames(calls),
      spans,
      answer: describeAnswer(r),
      durationMs: Math.round(r.durationMs),
    };
    if (missing.length > 0)
      return fail(`branches never called: ${missing.join(', ')} (${spans.join(', ')})`, evidence);
    const observed = `at most ${inFlight} of ${f.branches.length} branches in flight at once, each slowed by ${f.delayMs} ms (${spans.join(', ')}; the composite took ${Math.round(r.durationMs)} ms)`;
    // Overlap is the property: a branch that starts late because its server takes long to connect
    // (a stdio server being spawned) still counts as concurrent when others overlapped.
    return inFlight >= 2 ? pass(observed, evidence) : fail(observed, evidence);
  },
});
