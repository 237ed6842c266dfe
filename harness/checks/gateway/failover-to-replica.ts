import { z } from 'zod';
import { nowUs } from '../../measure/clock.js';
import type { CheckContext } from '../context.js';
import { mappingConflict, warmUpFailed } from '../needs.js';
import type { CallProbe } from '../session.js';
import { blocked, check, fail, pass, skip, type Verdict } from '../types.js';
import {
  boundMs,
  callEvidence,
  deadlineMs,
  describeCall,
  ms,
  renewing,
  since,
  waitFor,
  waitMs,
} from './resilience-util.js';

/**
 * `checks.gateway` options of this check, from the target file:
 *   replicas: { search: [search_a, search_b] }   # logical server → its replica servers in the fleet
 *   maxFailedCalls: 0                            # calls allowed to fail while failing over
 */
const OptionsSchema = z.object({
  replicas: z.record(z.string(), z.array(z.string()).min(2)).optional(),
  maxFailedCalls: z.number().int().min(0).default(0),
});

/** The replica group to use and a tool all its members serve, or the verdict when there is none. */
function pick(
  ctx: CheckContext,
): { logical: string; members: string[]; tool: string; name: string; maxFailedCalls: number } | Verdict {
  const parsed = OptionsSchema.safeParse(ctx.options);
  if (!parsed.success)
    return skip(
      `invalid checks.gateway options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const { replicas, maxFailedCalls } = parsed.data;
  if (!replicas || Object.keys(replicas).length === 0)
    return skip(
      'no replicas declared: set checks.gateway.replicas in the target file (logical server → its replica servers in the fleet)',
    );
  let unexposed = false;
  const problems: string[] = [];
  for (const [logical, members] of Object.entries(replicas)) {
    const specs = members.map((m) => ctx.fleet.spec.servers.find((s) => s.name === m));
    const absent = members.filter((_, i) => !specs[i]);
    if (absent.length > 0) {
      problems.push(`${logical}: no fleet server ${absent.join(', ')}`);
      continue;
    }
    const common = specs[0]!.tools
      .map((t) => t.name)
      .filter((t) => specs.every((s) => s!.tools.some((x) => x.name === t)));
    for (const tool of common) {
      const name = [logical, ...members].map((n) => ctx.exposed(`${n}.${tool}`)).find(Boolean);
      if (name) return { logical, members, tool, name, maxFailedCalls };
      const conflict = [logical, ...members].map((n) => mappingConflict(ctx, `${n}.${tool}`)).find(Boolean);
      if (conflict)
        return blocked(`${logical}.${tool} has no single exposed name: ${conflict}`, 'tool mapping');
    }
    unexposed ||= common.length > 0;
    problems.push(`${logical}: the SUT exposes no tool that all of ${members.join(', ')} serve`);
  }
  const why = `no usable replica group (${problems.join('; ')})`;
  return unexposed ? blocked(why, 'gateway.tools-exposed-once') : skip(why);
}

/** Which replica served the calls made since `t0` (µs). */
async function servedBy(ctx: CheckContext, members: string[], tool: string, t0: number): Promise<string[]> {
  const out: string[] = [];
  for (const m of members) if ((await ctx.mock(m).calls({ tool, since: t0 })).length > 0) out.push(m);
  return out;
}

/**
 * With a server declared as replicas, the replica serving calls is killed:
 * the next calls are served by another replica. Failover time is measured from
 * the kill to the first successful answer, with the calls that failed meanwhile.
 */
export const failoverToReplica = check({
  id: 'gateway.failover-to-replica',
  title: 'calls fail over to another replica when one dies',
  suite: 'gateway',
  specRef: 'practice: a gateway with replicated backends moves requests off a replica that cannot be reached',
  severity: 'must',
  disruptive: true,
  expected:
    'after the replica serving a replicated tool is killed, the next call is served by another replica ' +
    "within the target's deadlineMs + 1 s, with no more failed calls than checks.gateway.maxFailedCalls (default 0)",
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const p = pick(ctx);
    if ('status' in p) return p;
    const { logical, members, tool, name, maxFailedCalls } = p;
    const s = renewing(ctx, ctx.session);
    const bound = boundMs(ctx);
    const wait = waitMs(ctx);

    let t = nowUs();
    const warm = await s.call(name, {});
    if (warm.outcome !== 'ok') return warmUpFailed(`${logical}.${tool}`, describeCall(warm));
    const first = (await servedBy(ctx, members, tool, t))[0];
    if (!first)
      return fail(`the call to ${name} succeeded but no replica (${members.join(', ')}) received it`);

    const victim = ctx.mock(first);
    ctx.defer(() => victim.restart());
    t = nowUs();
    const t0 = performance.now();
    await victim.kill();
    let failedCalls = 0;
    const failures: CallProbe[] = [];
    let served: CallProbe | undefined;
    await waitFor(
      async () => {
        const c = await s.call(name, {}, { timeoutMs: wait });
        if (c.outcome === 'ok') served = c;
        else {
          failedCalls++;
          failures.push(c);
        }
        return served;
      },
      wait,
      { stepMs: 100, signal: ctx.signal },
    );
    const failoverMs = served ? since(t0) : undefined;
    const after = (await servedBy(ctx, members, tool, t)).filter((m) => m !== first);
    const evidence = {
      group: logical,
      replicas: members,
      killed: first,
      servedAfter: after,
      failoverMs,
      deadlineMs: deadlineMs(ctx),
      waitMs: wait,
      failedCalls,
      maxFailedCalls,
      ...(s.renewed > 0 ? { sessionsRenewedAfter404: s.renewed } : {}),
      ...(failures.length > 0 ? { firstFailure: callEvidence(failures[0]!) } : {}),
    };
    if (!served)
      return fail(
        `after ${first} was killed, no call to ${name} succeeded within ${wait} ms (the harness's wait) ` +
          `(${failedCalls} failed; last: ${describeCall(failures.at(-1)!)})`,
        evidence,
      );
    if (after.length === 0)
      return fail(`after ${first} was killed a call succeeded, but no other replica received it`, evidence);
    if (failoverMs! > bound)
      return fail(
        `failed over to ${after.join(', ')} after ${ms(failoverMs!)} ms, deadline ${deadlineMs(ctx)} ms: slow`,
        evidence,
      );
    if (failedCalls > maxFailedCalls)
      return fail(
        `failed over to ${after.join(', ')} after ${failedCalls} failed calls (allowed ${maxFailedCalls}; ` +
          `first: ${describeCall(failures[0]!)})`,
        evidence,
      );
    return pass(
      `${first} killed → served by ${after.join(', ')} ${ms(failoverMs!)} ms later, ${failedCalls} failed calls`,
      evidence,
    );
  },
});
