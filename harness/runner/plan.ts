import { basename, dirname, extname, resolve } from 'node:path';
import { readDataFile } from '../config/load.js';
import { importConfigModule, isModuleFile } from '../config/modules.js';
import { formatPath, zodProblems } from '../config/problems.js';
import { HarnessError, type Problem } from '../errors.js';
import { compileThresholds } from '../measure/threshold.js';
import { type FleetSpec, FleetSpecSchema } from '../schema/fleet.js';
import {
  type ScenarioSpec,
  ScenarioSpecSchema,
  type Step,
  StepSchema,
  stepAction,
} from '../schema/scenario.js';
import { type TargetSpec, TargetSpecSchema } from '../schema/target.js';
import { SCENARIO_METRICS } from './metrics.js';
import { checkStepReferences } from './plan-refs.js';
import type { Plan, PlannedStep } from './plan-types.js';

/**
 * Scenario → plan. Loads the scenario (YAML, JSON or a TS/JS module), its
 * fleet and target (inline, or files relative to the scenario), and checks
 * everything at once: schema, fleet, target, thresholds, step names, argument
 * references, servers named by steps. Every problem is one entry with its
 * path; any problem throws INVALID_CONFIG (exit 2) before anything starts.
 */

export interface PlanOptions {
  /** Overrides the scenario's target (the CLI's --target): a file path or a spec. */
  target?: string | TargetSpec;
  /** Relative paths in an inline scenario resolve from here (default: cwd). */
  baseDir?: string;
  /** Overrides the scenario's stepTimeout (the CLI's --timeout); steps with their own timeout keep it. */
  stepTimeoutMs?: number;
}

/** The target a scenario without one runs against: the harness as host over its fleet. */
export const DEFAULT_TARGET = { pattern: 'mesh', fromFleet: true } as const;
const DEFAULT_STEP_TIMEOUT_MS = 10_000;

export async function planScenario(source: string | object, options: PlanOptions = {}): Promise<Plan> {
  const file = typeof source === 'string' ? resolve(source) : undefined;
  const raw = file ? await readScenario(file) : source;
  const label = file ?? 'scenario';
  const baseDir = file ? dirname(file) : resolve(options.baseDir ?? '.');
  const problems: Problem[] = [];

  const parsed = ScenarioSpecSchema.safeParse(raw);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  const spec = parsed.success ? parsed.data : undefined;
  const rawObj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;

  const fleet = await loadPart(rawObj.fleet, 'fleet', baseDir, FleetSpecSchema, problems);
  const targetSource = options.target ?? (rawObj.target as string | object | undefined) ?? DEFAULT_TARGET;
  const targetPath = options.target !== undefined ? '--target' : 'target';
  // A --target path is the user's, typed relative to where they stand; a scenario's own is relative to it.
  const targetBase = options.target !== undefined ? process.cwd() : baseDir;
  const target = await loadPart(targetSource, targetPath, targetBase, TargetSpecSchema, problems);

  if (target?.pattern === 'mesh' && target.fromFleet && rawObj.fleet === undefined) {
    problems.push({
      path: rawObj.target === undefined && options.target === undefined ? 'fleet' : `${targetPath}.fromFleet`,
      message:
        'a mesh over the fleet needs a fleet: give fleet (a file or inline), or a target with endpoints',
    });
  }

  // Each part is checked on its own too, so one broken field does not hide the problems of the others.
  const part = <K extends keyof typeof ScenarioSpecSchema.shape>(key: K) => {
    const r = ScenarioSpecSchema.shape[key].safeParse(rawObj[key]);
    return r.success ? (r.data as ScenarioSpec[K]) : undefined;
  };
  const thresholdConfig = part('thresholds');
  const thresholds = thresholdConfig ? compileEach(thresholdConfig, problems) : [];
  if (thresholdConfig) problems.push(...unknownMetrics(thresholdConfig));
  const stepTimeout = options.stepTimeoutMs ?? part('stepTimeout') ?? DEFAULT_STEP_TIMEOUT_MS;
  // Steps are validated one by one: the valid ones are still checked when another is broken.
  const rawSteps = Array.isArray(rawObj.steps) ? (rawObj.steps as unknown[]) : [];
  const valid = rawSteps.map((r) => {
    const parsedStep = StepSchema.safeParse(r);
    return parsedStep.success ? parsedStep.data : undefined;
  });
  const steps = planSteps(valid, 'steps', stepTimeout, new Map(), explicitNames(rawSteps));
  // Names of steps that failed validation: references to them are not "unknown".
  const planned = new Set([...walkSteps(steps)].map((st) => st.name));
  const broken = new Set([...explicitNames(rawSteps)].filter((n) => !planned.has(n)));
  problems.push(...duplicateNames(steps));
  problems.push(...unknownStepTags(thresholds, steps, broken));
  const vars = part('vars');
  if (vars) problems.push(...checkStepReferences(steps, vars, broken));
  if (fleet || rawObj.fleet === undefined) problems.push(...unknownServers(steps, fleet));

  if (problems.length > 0 || !spec || !target) {
    throw new HarnessError(
      'INVALID_CONFIG',
      `${label}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      {
        problems,
      },
    );
  }
  const name = spec.name ?? (file ? basename(file, extname(file)) : 'scenario');
  return {
    name,
    description: spec.description,
    file,
    fleet,
    fleetFile: typeof rawObj.fleet === 'string' ? resolve(baseDir, rawObj.fleet) : undefined,
    target,
    targetName: target.name ?? targetLabel(targetSource, target),
    steps,
    thresholds,
    vars: spec.vars,
    stepTimeoutMs: options.stepTimeoutMs ?? spec.stepTimeout,
    attribution: spec.attribution,
    calibrate: spec.calibrate,
    tools: [...new Set(callSteps(steps).map((c) => c.tool))],
  };
}

/** Compile each selector on its own, so one bad expression does not hide the others' checks. */
function compileEach(config: ScenarioSpec['thresholds'], problems: Problem[]): Plan['thresholds'] {
  return Object.entries(config).flatMap(([selector, exprs]) => {
    try {
      return compileThresholds({ [selector]: exprs }, SCENARIO_METRICS);
    } catch (e) {
      problems.push(...((e as HarnessError).problems ?? []));
      return [];
    }
  });
}

async function readScenario(file: string): Promise<unknown> {
  return isModuleFile(file) ? importConfigModule(file, 'scenario') : readDataFile(file);
}

/** Load a fleet or target given inline or as a file; its problems get the `at` prefix. */
async function loadPart<T>(
  value: unknown,
  at: string,
  baseDir: string,
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError };
  },
  problems: Problem[],
): Promise<T | undefined> {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) return undefined; // schema reports it
  let data: unknown = value;
  if (typeof value === 'string') {
    const path = resolve(baseDir, value);
    try {
      data = isModuleFile(path) ? await importConfigModule(path, at) : await readDataFile(path);
    } catch (e) {
      if (!(e instanceof HarnessError)) throw e;
      const inner = e.problems ?? [];
      if (inner.length === 0) problems.push({ path: at, message: `${e.message} (${path})` });
      for (const p of inner)
        problems.push({ path: joinPath(at, p.path), message: `${p.message} (in ${value})` });
      return undefined;
    }
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const suffix = typeof value === 'string' ? ` (in ${value})` : '';
  for (const p of zodProblems(parsed.error))
    problems.push({ path: joinPath(at, p.path), message: p.message + suffix });
  return undefined;
}

function joinPath(prefix: string, path: string): string {
  if (!path) return prefix;
  return path.startsWith('[') || path.startsWith('line ')
    ? `${prefix}${path.startsWith('[') ? '' : ' '}${path}`
    : `${prefix}.${path}`;
}

/**
 * Give every step a name and a deadline. Default names: the tool (or action),
 * `#2`… on repeats. `undefined` marks a step that failed validation: skipped,
 * while later steps keep their index in paths.
 */
function planSteps(
  steps: ReadonlyArray<Step | undefined>,
  at: string,
  defaultTimeout: number,
  seen: Map<string, number>,
  reserved: ReadonlySet<string>,
): PlannedStep[] {
  return steps.flatMap((step, i) =>
    step === undefined ? [] : [planStep(step, `${at}[${i}]`, defaultTimeout, seen, reserved)],
  );
}

function planStep(
  step: Step,
  path: string,
  defaultTimeout: number,
  seen: Map<string, number>,
  reserved: ReadonlySet<string>,
): PlannedStep {
  const action = stepAction(step) as NonNullable<ReturnType<typeof stepAction>>;
  const timeoutMs = step.timeout ?? defaultTimeout;
  const base = { name: step.name ?? defaultName(step, action, seen, reserved), path, timeoutMs };
  const children = (list: Step[], key: string) =>
    planSteps(list, `${path}.${key}`, defaultTimeout, seen, reserved);
  if ('call' in step) {
    return { ...base, kind: 'call', tool: step.call, args: step.args ?? {}, expect: step.expect ?? {} };
  }
  if ('parallel' in step) return { ...base, kind: 'parallel', steps: children(step.parallel, 'parallel') };
  if ('fault' in step) return { ...base, kind: 'fault', fault: step.fault };
  if ('restart' in step) return { ...base, kind: 'restart', server: step.restart };
  if ('kill' in step) return { ...base, kind: 'kill', server: step.kill };
  // A wait's deadline always leaves room for the wait itself.
  if ('wait' in step)
    return { ...base, kind: 'wait', ms: step.wait, timeoutMs: Math.max(timeoutMs, step.wait + 1000) };
  return { ...base, kind: 'repeat', times: step.repeat, steps: children(step.steps, 'steps') };
}

/** Every explicit `name:` in raw steps, nested ones included (default names must not take them). */
function explicitNames(raw: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  const visit = (list: readonly unknown[]) => {
    for (const r of list) {
      if (typeof r !== 'object' || r === null) continue;
      const o = r as Record<string, unknown>;
      if (typeof o.name === 'string') out.add(o.name);
      if (Array.isArray(o.parallel)) visit(o.parallel);
      if (Array.isArray(o.steps)) visit(o.steps);
    }
  };
  visit(raw);
  return out;
}

function defaultName(
  step: Step,
  action: string,
  seen: Map<string, number>,
  reserved: ReadonlySet<string>,
): string {
  const label =
    'call' in step
      ? step.call
      : 'fault' in step
        ? `fault:${step.fault.server}`
        : 'restart' in step
          ? `restart:${step.restart}`
          : 'kill' in step
            ? `kill:${step.kill}`
            : action;
  for (;;) {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    const name = n === 1 ? label : `${label}#${n}`;
    if (!reserved.has(name)) return name;
  }
}

export function* walkSteps(steps: readonly PlannedStep[]): Generator<PlannedStep> {
  for (const s of steps) {
    yield s;
    if (s.kind === 'parallel' || s.kind === 'repeat') yield* walkSteps(s.steps);
  }
}

function callSteps(steps: readonly PlannedStep[]) {
  return [...walkSteps(steps)].filter((s) => s.kind === 'call');
}

function duplicateNames(steps: readonly PlannedStep[]): Problem[] {
  const first = new Map<string, string>();
  const out: Problem[] = [];
  for (const s of walkSteps(steps)) {
    const prev = first.get(s.name);
    if (prev)
      out.push({ path: `${s.path}.name`, message: `step name '${s.name}' is already used by ${prev}` });
    else first.set(s.name, s.path);
  }
  return out;
}

/** Servers named by fault/restart/kill steps and servedBy must be in the fleet (and there must be one). */
function unknownServers(steps: readonly PlannedStep[], fleet: FleetSpec | undefined): Problem[] {
  const names = new Set(fleet?.servers.map((s) => s.name));
  const list = [...names].join(', ');
  const out: Problem[] = [];
  const check = (server: string | undefined, path: string) => {
    if (server === undefined) return;
    if (!fleet) out.push({ path, message: `names fleet server '${server}' but the scenario has no fleet` });
    else if (!names.has(server))
      out.push({ path, message: `no fleet server '${server}' (the fleet has ${list})` });
  };
  for (const s of walkSteps(steps)) {
    if (s.kind === 'fault') check(s.fault.server, `${s.path}.fault.server`);
    if (s.kind === 'restart' || s.kind === 'kill') check(s.server, `${s.path}.${s.kind}`);
    if (s.kind === 'call') check(s.expect.servedBy, `${s.path}.expect.servedBy`);
  }
  return out;
}

function unknownMetrics(config: ScenarioSpec['thresholds']): Problem[] {
  const known = Object.keys(SCENARIO_METRICS);
  return Object.keys(config)
    .map((selector) => ({ selector, metric: selector.split('{')[0]?.trim() ?? '' }))
    .filter(({ metric }) => !known.includes(metric))
    .map(({ selector, metric }) => ({
      path: formatPath(['thresholds', selector]),
      message: `unknown metric '${metric}'; expected one of ${known.join(', ')}`,
    }));
}

/** A threshold filtered on `step:NAME` must name a step: a typo would only show as "no samples" after the run. */
function unknownStepTags(
  thresholds: Plan['thresholds'],
  steps: readonly PlannedStep[],
  broken: ReadonlySet<string>,
): Problem[] {
  const names = new Set([...walkSteps(steps)].map((s) => s.name));
  const unknown = (step: string | undefined) => step !== undefined && !names.has(step) && !broken.has(step);
  return thresholds
    .filter((t) => unknown(t.selector.tags.step))
    .map((t) => ({
      path: formatPath(['thresholds', t.selector.source]),
      message: `no step named '${t.selector.tags.step}' (steps: ${[...names].join(', ')})`,
    }));
}

function targetLabel(source: unknown, target: TargetSpec): string {
  if (typeof source === 'string') return basename(source, extname(source));
  return target.pattern === 'mesh' && target.fromFleet ? 'mesh' : target.pattern;
}
