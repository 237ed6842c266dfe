import { splitLogical } from '../target/naming.js';
import type { PlannedFault } from './fault-flag.js';
import type { Unit } from './plan.js';
import type { FaultResult } from './schema.js';
import { drainRequests, type OpenTarget, runWorkflow, type WorkflowEnv } from './workflow.js';

/**
 * One pattern under one fault: the fault is added to its mock, the workflow
 * runs once (what the client sees per step, and how long the first failing
 * step took to fail), then every unit that does not use the faulted server
 * is called alone with the arguments of a clean workflow: do the other
 * servers still answer through this pattern? The fault is removed and a mock
 * it brought down is restarted, on every path.
 */
export async function runUnderFault(
  open: OpenTarget,
  fault: PlannedFault,
  clean: Map<string, Record<string, unknown>>,
  env: WorkflowEnv,
): Promise<FaultResult> {
  const mock = env.fleet.mocks.get(fault.server);
  if (!mock) throw new Error(`no fleet server '${fault.server}'`);
  const { units } = open.planned;
  const serversOf = (u: Unit) => [
    ...new Set(u.steps.map((s) => splitLogical(open.planned.stepTools.get(s) ?? '').server ?? '')),
  ];
  const id = await mock.addFault(fault.fault);
  try {
    const run = await runWorkflow(open, env);
    const steps = units.map((u) => {
      const r = run.steps.find((s) => s.name === u.name);
      const reached = r?.outcome !== undefined;
      return {
        step: u.name,
        servers: serversOf(u),
        outcome: reached ? (r?.outcome ?? 'ok') : ('not-run' as const),
        durationUs: r?.durationUs ?? 0,
        ...(r?.reason ? { reason: r.reason } : {}),
      };
    });
    const first = steps.find((s) => s.outcome !== 'ok' && s.outcome !== 'not-run');
    const others = units.filter((u) => !serversOf(u).includes(fault.server));
    let ok = 0;
    const notes: string[] = [];
    for (const u of others) {
      const args = clean.get(u.name);
      if (!args) {
        notes.push(`${u.name}: no clean arguments`);
        continue;
      }
      try {
        const r = await open.target.callTool(u.tool, args, { timeoutMs: open.planned.plan.stepTimeoutMs });
        if (r.isError === true) notes.push(`${u.name}: isError`);
        else ok++;
      } catch (e) {
        notes.push(`${u.name}: ${(e as Error).message}`);
      }
    }
    const detail =
      others.length === 0
        ? `every unit of this pattern uses ${fault.server}`
        : notes.length === 0
          ? `${ok}/${others.length} answered`
          : notes.join('; ');
    return {
      fault: fault.flag,
      server: fault.server,
      steps,
      seen: first ? (first.outcome as FaultResult['seen']) : 'none',
      ...(first ? { timeToErrorUs: first.durationUs } : {}),
      others: { ok, total: others.length, detail },
    };
  } finally {
    await mock.removeFault(id).catch(() => false);
    if (mock.status() !== 'up') await mock.restart().catch(() => {});
    await drainRequests(env.fleet);
  }
}
