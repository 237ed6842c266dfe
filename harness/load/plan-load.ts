import { dirname, resolve } from 'node:path';
import { conformanceFleet } from '../checks/fleet.js';
import { readDataFile } from '../config/load.js';
import { zodProblems } from '../config/problems.js';
import { HarnessError, type Problem } from '../errors.js';
import { type PlanOptions, planScenario } from '../runner/plan.js';
import type { Plan, PlannedStep } from '../runner/plan-types.js';
import {
  type LoadOptions,
  type LoadOptionsInput,
  LoadOptionsSchema,
  type TimelineAction,
} from '../schema/load.js';
import { executorFor } from './executors/registry.js';
import type { Executor } from './executors/types.js';
import { applyShard, shardProblems } from './shard.js';
import { readTimeline } from './timeline.js';

/**
 * Load options → a validated plan, every problem at once (exit 2) before
 * anything starts: the options' shape, what the executor needs, the shard
 * (then the options are this shard's part), the scenario
 * or the one tool (as a one-step scenario over the fleet), the fleet and the
 * target, and tools the fleet does not serve.
 */
export interface LoadPlan {
  /** This shard's options (the whole run's when there is no shard). */
  options: LoadOptions;
  executor: Executor;
  plan: Plan;
  /** How to start the fleet process: its file, the built-in name, or the resolved spec. */
  fleetRef: { file: string } | { spec: NonNullable<Plan['fleet']> };
  /** The fault timeline's actions (none without `faults`). */
  timeline: TimelineAction[];
}

export async function planLoad(input: LoadOptionsInput): Promise<LoadPlan> {
  const parsed = LoadOptionsSchema.safeParse(input);
  if (!parsed.success) throw invalid(zodProblems(parsed.error));
  const whole = parsed.data;
  const executor = executorFor(whole);
  const problems: Problem[] = [...executor.validate(whole)];
  // `shard` runs this shard's part of the whole run (validated as the whole run, then split).
  const shardIssues = whole.shard ? shardProblems(whole, whole.shard) : [];
  problems.push(...shardIssues);
  const options = shardIssues.length === 0 ? applyShard(whole) : whole;
  if ((options.scenario === undefined) === (options.tool === undefined))
    problems.push({
      path: 'tool',
      message: 'give exactly one of scenario (a workflow file) or tool (server.tool)',
    });
  if (options.scenario !== undefined && options.fleet !== undefined)
    problems.push({ path: 'fleet', message: 'a scenario brings its own fleet; give fleet only with tool' });
  if (options.tool !== undefined && !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/.test(options.tool))
    problems.push({
      path: 'tool',
      message: `expected a logical tool name server.tool, got '${options.tool}'`,
    });

  let plan: Plan | undefined;
  if ((options.scenario === undefined) !== (options.tool === undefined)) {
    try {
      const source = options.scenario ?? {
        name: options.tool,
        fleet: await fleetSource(options),
        steps: [{ call: options.tool, args: options.args }],
      };
      plan = await planScenario(source, { target: options.target as PlanOptions['target'] });
    } catch (e) {
      if (!(e instanceof HarnessError) || e.exitCode !== 2) throw e;
      problems.push(
        ...e.problems.map((p) => (options.tool && p.path.startsWith('steps') ? { ...p, path: 'tool' } : p)),
      );
      if (e.problems.length === 0)
        problems.push({ path: options.scenario ? 'scenario' : 'target', message: e.message });
    }
  }
  if (plan)
    problems.push(...unknownTools(plan, options.tool ? 'tool' : 'scenario'), ...iterationOnly(plan.steps));
  const timeline = options.faults
    ? await readTimeline(options.faults, plan?.fleet)
    : { actions: [], problems: [] };
  problems.push(...timeline.problems);
  if (problems.length > 0 || !plan) throw invalid(problems);
  const fleet = plan.fleet;
  if (!fleet)
    throw invalid([{ path: 'fleet', message: 'a load test needs a fleet (the scenario has none)' }]);
  const fleetRef = plan.fleetFile
    ? { file: plan.fleetFile }
    : options.tool && (options.fleet ?? 'conformance') === 'conformance'
      ? { file: 'conformance' }
      : { spec: fleet };
  return { options, executor, plan, fleetRef, timeline: timeline.actions };
}

function invalid(problems: Problem[]): HarnessError {
  return new HarnessError(
    'INVALID_CONFIG',
    `load: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    {
      problems,
    },
  );
}

/** Tool mode's fleet: `fleet`, else the target file's `checks.fleet`, else the built-in conformance fleet. */
async function fleetSource(options: LoadOptions): Promise<unknown> {
  if (options.fleet && options.fleet !== 'conformance') return resolve(options.fleet);
  if (options.fleet === undefined && typeof options.target === 'string') {
    const file = resolve(options.target);
    const raw = (await readDataFile(file).catch(() => undefined)) as
      | { checks?: { fleet?: unknown } }
      | undefined;
    if (typeof raw?.checks?.fleet === 'string') return resolve(dirname(file), raw.checks.fleet);
  }
  return conformanceFleet();
}

/**
 * Fault, kill and restart steps would hit the fleet once per iteration, from
 * every session at once: under load, faults go on the fault timeline.
 */
function iterationOnly(steps: readonly PlannedStep[]): Problem[] {
  const out: Problem[] = [];
  for (const s of steps) {
    if (s.kind === 'fault' || s.kind === 'kill' || s.kind === 'restart')
      out.push({
        path: s.path,
        message: `a ${s.kind} step cannot run inside a load iteration (every iteration would repeat it); put it on the fault timeline (faults: FILE, at a time after the start)`,
      });
    else if (s.kind === 'parallel' || s.kind === 'repeat') out.push(...iterationOnly(s.steps));
  }
  return out;
}

/** Every call step's `server.tool` must be a tool of that fleet server. */
function unknownTools(plan: Plan, path: string): Problem[] {
  const out: Problem[] = [];
  const walk = (steps: readonly PlannedStep[]) => {
    for (const s of steps) {
      if (s.kind === 'call') {
        const dot = s.tool.indexOf('.');
        const server = plan.fleet?.servers.find((x) => x.name === s.tool.slice(0, dot));
        if (!server) continue; // planScenario names an unknown server
        if (!server.tools.some((t) => t.name === s.tool.slice(dot + 1)))
          out.push({
            path: path === 'tool' ? 'tool' : s.path,
            message: `no tool '${s.tool.slice(dot + 1)}' on fleet server '${server.name}' (it has ${server.tools.map((t) => t.name).join(', ') || 'none'})`,
          });
      } else if (s.kind === 'parallel' || s.kind === 'repeat') walk(s.steps);
    }
  };
  walk(plan.steps);
  return out;
}
