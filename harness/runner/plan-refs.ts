import type { Problem } from '../errors.js';
import type { PlannedStep } from './plan-types.js';
import { collectReferences } from './references.js';

/**
 * Every `{{...}}` in call arguments must point at something that exists when
 * the call runs: a call step that ran before it (not a sibling in the same
 * parallel group, not a later step), a declared variable, or `iteration`
 * inside a repeat.
 */
export function checkStepReferences(
  steps: readonly PlannedStep[],
  vars: Record<string, unknown>,
  /** Names of steps that failed validation (already reported): references to them are not reported again. */
  broken: ReadonlySet<string> = new Set(),
): Problem[] {
  const problems: Problem[] = [];
  const calls = new Map<string, PlannedStep>();
  const collectCalls = (list: readonly PlannedStep[]) => {
    for (const s of list) {
      if (s.kind === 'call') calls.set(s.name, s);
      if (s.kind === 'parallel' || s.kind === 'repeat') collectCalls(s.steps);
    }
  };
  collectCalls(steps);

  const visit = (
    list: readonly PlannedStep[],
    before: ReadonlySet<string>,
    inRepeat: boolean,
  ): Set<string> => {
    const available = new Set(before);
    for (const s of list) {
      if (s.kind === 'call') {
        const { refs, problems: syntax } = collectReferences(s.args, `${s.path}.args`);
        for (const p of syntax) problems.push({ path: p.at, message: p.message });
        for (const { at, ref } of refs) {
          if (ref.root === 'steps' && ref.name !== undefined && broken.has(ref.name)) continue;
          const message = refProblem(ref.root, ref.name, available, calls, vars, inRepeat);
          if (message) problems.push({ path: at, message: `{{${ref.source}}}: ${message}` });
        }
        available.add(s.name);
      } else if (s.kind === 'parallel') {
        // Siblings run at the same time: each sees only what existed before the group.
        const after = s.steps.map((child) => visit([child], available, inRepeat));
        for (const set of after) for (const n of set) available.add(n);
      } else if (s.kind === 'repeat') {
        for (const n of visit(s.steps, available, true)) available.add(n);
      }
    }
    return available;
  };
  visit(steps, new Set(), false);
  return problems;
}

function refProblem(
  root: string,
  name: string | undefined,
  available: ReadonlySet<string>,
  calls: ReadonlyMap<string, PlannedStep>,
  vars: Record<string, unknown>,
  inRepeat: boolean,
): string | undefined {
  if (root === 'iteration') return inRepeat ? undefined : 'iteration is only defined inside repeat';
  if (root === 'vars') {
    return name !== undefined && Object.hasOwn(vars, name)
      ? undefined
      : `no variable '${name}' (declared: ${Object.keys(vars).join(', ') || 'none'})`;
  }
  if (root !== 'steps' || name === undefined) return undefined;
  if (available.has(name)) return undefined;
  if (calls.has(name))
    return `step '${name}' does not run before this one (a later step or a parallel sibling)`;
  // Default names of calls contain the tool's dot and cannot be referenced: list only named ones.
  const known = [...calls.keys()].filter((n) => !n.includes('.'));
  return `no call step named '${name}'${known.length ? ` (named call steps: ${known.join(', ')})` : ' (give the step a name: to reference it)'}`;
}
