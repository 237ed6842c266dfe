import { HarnessError, type Problem } from '../errors.js';
import type { LoadOptions, LoadOptionsInput } from '../schema/load.js';
import { type LoadFlags, loadOptionsFromFlags } from './options.js';
import { planLoad } from './plan-load.js';

/** Top-level option names of the plan's problems, and the flags they come from. */
const FLAG_OF: Readonly<Record<string, string>> = {
  tool: '--tool',
  scenario: '--scenario',
  target: '--target',
  fleet: '--fleet',
  args: '--args',
};

/**
 * `loadOptionsFromFlags`, and when the flags have problems, also what the
 * plan finds with the flags that are good — a tool the fleet does not serve,
 * a target or scenario that does not load — so one exit-2 error lists every
 * problem at once. Nothing is started: planning only reads files.
 */
export async function checkLoadFlags(flags: LoadFlags): Promise<LoadOptions> {
  try {
    return loadOptionsFromFlags(flags);
  } catch (e) {
    if (!(e instanceof HarnessError)) throw e;
    const more = await planProblems(flags);
    const problems = [...e.problems, ...more.filter((p) => !e.problems.some((q) => q.path === p.path))];
    throw new HarnessError(e.code, `invalid load options (${problems.length} problems)`, { problems });
  }
}

/** The plan's problems for the workload the flags name, run at a load that is surely valid. */
async function planProblems(flags: LoadFlags): Promise<Problem[]> {
  if (!flags.target || (flags.tool === undefined) === (flags.scenario === undefined)) return [];
  const input: LoadOptionsInput = { target: flags.target, executor: 'constant-vus', connections: 1 };
  if (flags.tool !== undefined) input.tool = flags.tool;
  if (flags.scenario !== undefined) input.scenario = flags.scenario;
  if (flags.fleet !== undefined) input.fleet = flags.fleet;
  const args = parseObject(flags.args);
  if (args) input.args = args;
  try {
    await planLoad(input);
    return [];
  } catch (e) {
    if (!(e instanceof HarnessError)) return [];
    return asFlags(e).problems;
  }
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The same error with the options' top-level names (`tool`, `target`, …) as the flags that set them. */
export function asFlags(e: HarnessError): HarnessError {
  const problems = e.problems.map((p) => ({ ...p, path: FLAG_OF[p.path] ?? p.path }));
  return new HarnessError(e.code, e.message, { problems, cause: e.cause });
}
