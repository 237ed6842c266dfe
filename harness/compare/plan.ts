import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { readDataFile } from '../config/load.js';
import { zodProblems } from '../config/problems.js';
import { HarnessError, isHarnessError, type Problem } from '../errors.js';
import { DEFAULT_TARGET, planScenario } from '../runner/plan.js';
import type { Plan, PlannedCall } from '../runner/plan-types.js';
import { TargetSpecSchema } from '../schema/target.js';
import { mapComposites } from './composites.js';
import { type PlannedFault, parseFaultFlag } from './fault-flag.js';
import { CompareSpecSchema, type Composite } from './schema.js';

/**
 * Compare file (or flags) → a plan per target over one workflow, checked all
 * at once: the compare file, each target (unknown names, bad files), the
 * workflow (call steps only), each chain target's composites (every step
 * mapped exactly once) and each fault. Any problem throws INVALID_CONFIG.
 */

export interface CompareOptions {
  /** The workflow scenario (overrides the file's `scenario`). */
  scenario?: string;
  /** Targets: "mesh" or target files (override the file's `targets`). */
  targets?: readonly string[];
  iterations?: number;
  warmup?: number;
  /** `server:fault[:k=v,…]` (override the file's `faults`). */
  faults?: readonly string[];
  stepTimeoutMs?: number;
}

/** One way to run a workflow unit: a step, or the composite standing for a group of steps. */
export interface Unit {
  name: string;
  tool: string;
  steps: string[];
}

export interface PlannedTarget {
  label: string;
  plan: Plan;
  units: Unit[];
  /** Each workflow step's logical tool (the chain's plan no longer holds them). */
  stepTools: Map<string, string>;
}

export interface ComparePlan {
  name: string;
  iterations: number;
  warmup: number;
  /** The workflow's call steps, as every non-chain target runs them. */
  steps: PlannedCall[];
  targets: PlannedTarget[];
  faults: PlannedFault[];
}

export async function planCompare(
  source: string | undefined,
  options: CompareOptions = {},
): Promise<ComparePlan> {
  const problems: Problem[] = [];
  const file = source ? resolve(source) : undefined;
  const baseDir = file ? dirname(file) : process.cwd();
  const raw = file ? await readDataFile(file) : {};
  const merged = {
    ...(raw as object),
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.targets ? { targets: [...options.targets] } : {}),
    ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
    ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
    ...(options.faults ? { faults: [...options.faults] } : {}),
  };
  const parsed = CompareSpecSchema.safeParse(merged);
  if (!parsed.success) throw invalid(file, zodProblems(parsed.error));
  const spec = parsed.data;
  // Paths from flags are the user's (cwd); paths in the file are relative to it.
  const scenarioBase = options.scenario ? process.cwd() : baseDir;
  const targetBase = options.targets ? process.cwd() : baseDir;
  const scenario = resolve(scenarioBase, spec.scenario);
  const scenarioFound = existsSync(scenario);
  if (!scenarioFound) problems.push({ path: 'scenario', message: `no such workflow file: ${scenario}` });

  const targets: PlannedTarget[] = [];
  for (const [i, t] of spec.targets.entries()) {
    const at = `targets[${i}]`;
    const target =
      t === 'mesh' ? TargetSpecSchema.parse({ ...DEFAULT_TARGET, name: 'mesh' }) : resolve(targetBase, t);
    if (typeof target === 'string' && !existsSync(target)) {
      problems.push({
        path: at,
        message: `unknown target '${t}': expected "mesh" or a target file (${target})`,
      });
      continue;
    }
    if (!scenarioFound) continue;
    try {
      const plan = await planScenario(scenario, { target, stepTimeoutMs: options.stepTimeoutMs });
      const mapped = forPattern(plan, spec.composites, at, problems);
      if (mapped) targets.push({ label: uniqueLabel(plan.targetName, targets), ...mapped });
    } catch (e) {
      if (!isHarnessError(e) || e.code !== 'INVALID_CONFIG') throw e;
      const inner = e.problems.length ? e.problems : [{ path: '', message: e.message }];
      // Problems of the workflow itself repeat for every target: keep them once.
      for (const p of inner) {
        const prefixed = p.path.startsWith('--target') ? { ...p, path: `${at}${p.path.slice(8)}` } : p;
        if (!problems.some((q) => q.path === prefixed.path && q.message === prefixed.message))
          problems.push(prefixed);
      }
    }
  }
  const first = targets[0]?.plan;
  const steps = first ? callSteps(first, problems) : [];
  const faults = spec.faults.flatMap((flag, i) => {
    const r = parseFaultFlag(flag, first?.fleet);
    if ('problem' in r) {
      problems.push({ path: `faults[${i}]`, message: r.problem });
      return [];
    }
    return [r];
  });
  if (problems.length > 0) throw invalid(file, problems);
  return {
    name: spec.name ?? (file ? basename(file, extname(file)) : (first?.name ?? 'compare')),
    iterations: spec.iterations,
    warmup: spec.warmup,
    steps,
    targets,
    faults,
  };
}

/** A chain runs its composites in place of the step groups; other patterns run the steps. */
function forPattern(
  plan: Plan,
  composites: readonly Composite[],
  at: string,
  problems: Problem[],
): Omit<PlannedTarget, 'label'> | undefined {
  const calls = plan.steps.filter((s): s is PlannedCall => s.kind === 'call');
  const stepTools = new Map(calls.map((c) => [c.name, c.tool]));
  if (plan.target.pattern !== 'chain') {
    return { plan, stepTools, units: calls.map((c) => ({ name: c.name, tool: c.tool, steps: [c.name] })) };
  }
  const mapped = mapComposites(calls, composites, `${at} (chain ${plan.targetName})`, problems);
  if (!mapped) return undefined;
  const steps = mapped.map((m) => m.call);
  return {
    plan: { ...plan, steps, tools: [...new Set(steps.map((s) => s.tool))] },
    stepTools,
    units: mapped.map((m) => m.unit),
  };
}

function callSteps(plan: Plan, problems: Problem[]): PlannedCall[] {
  const calls: PlannedCall[] = [];
  for (const s of plan.steps) {
    if (s.kind === 'call') calls.push(s);
    else problems.push({ path: s.path, message: `compare runs call steps only (this is a ${s.kind} step)` });
  }
  if (calls.length === 0) problems.push({ path: 'steps', message: 'the workflow has no call step' });
  return calls;
}

function uniqueLabel(name: string, taken: readonly PlannedTarget[]): string {
  let label = name;
  for (let n = 2; taken.some((t) => t.label === label); n++) label = `${name}#${n}`;
  return label;
}

function invalid(file: string | undefined, problems: Problem[]): HarnessError {
  const n = problems.length;
  return new HarnessError('INVALID_CONFIG', `${file ?? 'compare'}: ${n} problem${n === 1 ? '' : 's'}`, {
    problems,
  });
}
