import type { Problem } from '../errors.js';
import type { PlannedCall } from '../runner/plan-types.js';
import type { Unit } from './plan.js';
import type { Composite } from './schema.js';

/**
 * A chain exposes composite tools, not the fleet's: each group of workflow
 * steps it covers is one call of its composite. Every step must fall in
 * exactly one group of consecutive steps; anything else is a problem with
 * its path (the compare file's `composites`, or the chain target).
 */
export function mapComposites(
  calls: readonly PlannedCall[],
  composites: readonly Composite[],
  at: string,
  problems: Problem[],
): Array<{ call: PlannedCall; unit: Unit }> | undefined {
  const before = problems.length;
  const index = new Map(calls.map((c, i) => [c.name, i]));
  const owner = new Map<string, number>();
  composites.forEach((comp, ci) => {
    const found: number[] = [];
    comp.steps.forEach((name, si) => {
      const i = index.get(name);
      if (i === undefined) {
        problems.push({
          path: `composites[${ci}].steps[${si}]`,
          message: `no call step '${name}' in the workflow (has: ${[...index.keys()].join(', ') || 'none'})`,
        });
        return;
      }
      const other = owner.get(name);
      if (other !== undefined) {
        problems.push({
          path: `composites[${ci}].steps[${si}]`,
          message: `step '${name}' is already run by composites[${other}] (${composites[other]?.tool})`,
        });
        return;
      }
      owner.set(name, ci);
      found.push(i);
    });
    const sorted = [...found].sort((a, b) => a - b);
    if (
      sorted.some((v, k) => k > 0 && v !== (sorted[k - 1] as number) + 1) ||
      found.join() !== sorted.join()
    ) {
      problems.push({
        path: `composites[${ci}].steps`,
        message: 'expected consecutive workflow steps, in workflow order',
      });
    }
  });
  for (const c of calls) {
    if (owner.has(c.name)) continue;
    problems.push({
      path: at,
      message: `step '${c.name}' (${c.tool}) cannot be mapped: a chain exposes composite tools only; list it in a composites[].steps`,
    });
  }
  if (problems.length > before) return undefined;

  const out: Array<{ call: PlannedCall; unit: Unit }> = [];
  const done = new Set<number>();
  for (const c of calls) {
    const ci = owner.get(c.name) as number;
    if (done.has(ci)) continue;
    done.add(ci);
    const comp = composites[ci] as Composite;
    const group = calls.filter((x) => comp.steps.includes(x.name));
    const name = comp.name ?? comp.tool;
    out.push({
      call: {
        kind: 'call',
        name,
        path: `composites[${ci}]`,
        tool: comp.tool,
        args: comp.args,
        // The chain runs the group's steps one after the other: it may take their deadlines together.
        timeoutMs: group.reduce((sum, g) => sum + g.timeoutMs, 0),
        expect: { outcome: 'ok' },
      },
      unit: { name, tool: comp.tool, steps: [...comp.steps] },
    });
  }
  return out;
}
