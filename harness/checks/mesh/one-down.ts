import { describeError } from '../../target/connect.js';
import { check, fail, pass, skip } from '../types.js';
import { eachMember, type Member, members, meshOptions } from './members.js';
import { DOWN_WAIT_MS, type StopPlan, stopPlan, takeDown } from './stop.js';

/**
 * Members of a mesh fail alone: with one server stopped (and seen to be
 * down), every other server still answers ping and tools/list on the session
 * the host already holds. The server stopped is `checks.mesh.down`, else the
 * first one the harness can stop (a fleet mock, else a stdio process).
 */
export const meshOneDown = check({
  id: 'mesh.one-down-others-fine',
  title: 'with one server down, the other servers still answer',
  suite: 'mesh',
  specRef: 'practice: a host keeps one independent session per server (failure isolation)',
  severity: 'must',
  disruptive: true,
  expected:
    'after one server is stopped and no longer answers, every other server of the mesh answers ping and tools/list',
  async run(ctx) {
    const o = meshOptions(ctx);
    const ms = members(ctx);
    if (ms.length < 2) return skip('a mesh of fewer than two servers has no "others"');
    const chosen = o.down ? named(ms, o.down) : firstStoppable(ctx, ms);
    if (typeof chosen === 'string') return o.down ? fail(chosen) : skip(chosen);
    const plan = stopPlan(ctx, chosen);
    if (typeof plan === 'string') return skip(plan);
    const down = chosen;
    ctx.defer(() => plan.restore());
    if (!(await takeDown(ctx, plan)))
      return skip(
        `${down.name} still answers ${DOWN_WAIT_MS / 1000} s after ${plan.how}: the harness could not take it down, so the others were not judged`,
      );
    const others = ms.filter((m) => m !== down);
    const problems = await eachMember(others, async (m) => {
      try {
        await m.client.ping({ timeout: ctx.timeoutMs, signal: ctx.signal });
        await m.client.listTools(undefined, { timeout: ctx.timeoutMs, signal: ctx.signal });
        return undefined;
      } catch (e) {
        return `${m.name} stopped answering: ${describeError(e)}`;
      }
    });
    const what = `${down.name} stopped (${plan.how}; it no longer answers)`;
    if (problems.length > 0) return fail(`${what}; ${problems.join('; ')}`);
    return pass(`${what}; ${others.map((m) => m.name).join(', ')} still answer ping and tools/list`);
  },
});

/** The member `checks.mesh.down` names, or why it names none. */
function named(ms: Member[], name: string): Member | string {
  return (
    ms.find((m) => m.name === name) ??
    `checks.mesh.down names '${name}', which is not a server of the mesh (${ms.map((m) => m.name).join(', ')})`
  );
}

/** The first member the harness can stop: an in-process fleet mock first, then a stdio process. */
function firstStoppable(ctx: Parameters<typeof stopPlan>[0], ms: Member[]): Member | string {
  const plans = ms.map((m) => [m, stopPlan(ctx, m)] as const);
  const ok = plans.filter((p): p is readonly [Member, StopPlan] => typeof p[1] !== 'string');
  const mock = ok.find(([m]) => m.mock && m.mock.transport !== 'stdio');
  const any = mock ?? ok[0];
  if (any) return any[0];
  return `no server of the mesh can be stopped by the harness: ${plans.map((p) => p[1]).join('; ')}`;
}
