import { zodProblems } from '../config/problems.js';
import { HarnessError, type Problem } from '../errors.js';
import { parseDurationMs } from '../schema/duration.js';
import {
  EXECUTOR_NAMES,
  type ExecutorName,
  type LoadOptions,
  type LoadOptionsInput,
  LoadOptionsSchema,
} from '../schema/load.js';
import { parseShard, shardProblems } from './shard.js';
import { type Parsed, parseStages } from './stages.js';
import { loadThresholdProblems } from './thresholds.js';

/** `mcp-harness load` flags as commander hands them over (strings, repeatable ones as arrays). */
export interface LoadFlags {
  target?: string;
  scenario?: string;
  tool?: string;
  args?: string;
  executor?: string;
  rate?: string;
  connections?: string;
  duration?: string;
  stages?: string;
  sessions?: string;
  iterations?: string;
  maxInFlight?: string;
  threshold?: string[];
  faults?: string;
  shard?: string;
  workers?: string;
  fleet?: string;
  fleetAt?: string;
  timeout?: string;
}

const RATE_RE = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*(s|m))?\s*$/;

/** `500`, `500/s` or `30/m` → iterations per second (> 0). */
export function parseRate(text: string, path = '--rate'): Parsed<number> {
  const m = RATE_RE.exec(text);
  const perSecond = m ? Number(m[1]) / (m[2] === 'm' ? 60 : 1) : Number.NaN;
  if (!(perSecond > 0))
    return { problems: [{ path, message: `expected a rate > 0 such as 500/s, got '${text}'` }] };
  return { value: perSecond, problems: [] };
}

function parseCount(text: string, path: string): Parsed<number> {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1)) return { problems: [{ path, message: `expected a whole number ≥ 1, got '${text}'` }] };
  return { value: n, problems: [] };
}

function parseDuration(text: string, path: string): Parsed<number> {
  const ms = parseDurationMs(text);
  if (ms === undefined || !(ms > 0)) {
    return { problems: [{ path, message: `expected a duration > 0 such as 30s or 500ms, got '${text}'` }] };
  }
  return { value: ms, problems: [] };
}

function parseArgs(text: string, path = '--args'): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return {
      problems: [{ path, message: `expected a JSON object, got invalid JSON (${(e as Error).message})` }],
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [{ path, message: `expected a JSON object such as '{"q":"x"}', got ${text}` }] };
  }
  return { value: value as Record<string, unknown>, problems: [] };
}

/** Flags given on the command line, by their names as typed. */
type Given = ReadonlySet<string>;

/** What each executor needs and refuses, checked against the flags given (parsed or not). */
const EXECUTOR_FLAGS: Record<
  ExecutorName,
  { needs: Record<string, string>; refuses: Record<string, string> }
> = {
  'constant-arrival-rate': {
    needs: { '--rate': '--rate (iterations per second)' },
    refuses: {
      '--stages': 'stages ramp a ramping-arrival-rate',
      '--connections': 'give --rate (open loop) or --connections (closed loop)',
    },
  },
  'ramping-arrival-rate': {
    needs: { '--stages': '--stages such as 10s:100,30s:500' },
    refuses: {
      '--rate': 'the stages set the rate',
      '--connections': 'it is open loop; the stages set the rate',
    },
  },
  'constant-vus': {
    needs: { '--connections': '--connections (sessions, one iteration in flight each)' },
    refuses: {
      '--rate': 'give --rate (open loop) or --connections (closed loop)',
      '--stages': 'stages ramp a ramping-arrival-rate',
    },
  },
  'per-session-iterations': {
    needs: {
      '--iterations': '--iterations (per session)',
      '--connections|--sessions': '--connections (the sessions, each running --iterations)',
    },
    refuses: { '--rate': 'it is closed loop', '--stages': 'stages ramp a ramping-arrival-rate' },
  },
};

function executorProblems(executor: ExecutorName, given: Given): Problem[] {
  const { needs, refuses } = EXECUTOR_FLAGS[executor];
  return [
    ...Object.entries(needs)
      .filter(([flags]) => !flags.split('|').some((f) => given.has(f)))
      .map(([flags, what]) => ({
        path: flags.split('|')[0] as string,
        message: `${executor} needs ${what}`,
      })),
    ...Object.entries(refuses)
      .filter(([flag]) => given.has(flag))
      .map(([flag, why]) => ({ path: flag, message: `${executor} does not take ${flag}: ${why}` })),
  ];
}

/** The executor the flags imply when `--executor` is not given. */
function defaultExecutor(given: Given): ExecutorName | undefined {
  if (given.has('--stages')) return 'ramping-arrival-rate';
  if (given.has('--iterations')) return 'per-session-iterations';
  if (given.has('--rate')) return 'constant-arrival-rate';
  if (given.has('--connections')) return 'constant-vus';
  return undefined;
}

/**
 * Turn `load` flags into LoadOptions, collecting EVERY problem with its flag
 * and what was expected (rate ≤ 0, scenario and tool both or neither,
 * malformed stages, a bad shard, bad thresholds, an unknown executor, …);
 * throws one INVALID_ARGS HarnessError listing them all (exit 2).
 */
export function loadOptionsFromFlags(flags: LoadFlags): LoadOptions {
  const problems: Problem[] = [];
  const take = <T>(parsed: Parsed<T>): T | undefined => {
    problems.push(...parsed.problems);
    return parsed.value;
  };
  const o: LoadOptionsInput = { target: flags.target ?? '' };
  if (!flags.target) problems.push({ path: '--target', message: 'expected a target file (missing)' });
  if (flags.scenario !== undefined && flags.tool !== undefined) {
    problems.push({ path: '--scenario', message: 'give --scenario or --tool, not both' });
  } else if (flags.scenario === undefined && flags.tool === undefined) {
    problems.push({
      path: '--scenario',
      message: 'expected --scenario FILE or --tool server.tool (missing)',
    });
  }
  if (flags.scenario !== undefined) o.scenario = flags.scenario;
  if (flags.tool !== undefined) {
    if (/^[^.\s]+\.\S+$/.test(flags.tool)) o.tool = flags.tool;
    else
      problems.push({ path: '--tool', message: `expected a logical server.tool name, got '${flags.tool}'` });
  }
  if (flags.args !== undefined) o.args = take(parseArgs(flags.args));
  if (flags.rate !== undefined) o.rate = take(parseRate(flags.rate));
  if (flags.connections !== undefined) o.connections = take(parseCount(flags.connections, '--connections'));
  if (flags.duration !== undefined) o.durationMs = take(parseDuration(flags.duration, '--duration'));
  if (flags.stages !== undefined) o.stages = take(parseStages(flags.stages));
  if (flags.sessions !== undefined) o.sessions = take(parseCount(flags.sessions, '--sessions'));
  if (flags.iterations !== undefined) o.iterations = take(parseCount(flags.iterations, '--iterations'));
  if (flags.maxInFlight !== undefined) o.maxInFlight = take(parseCount(flags.maxInFlight, '--max-in-flight'));
  if (flags.workers !== undefined) o.workers = take(parseCount(flags.workers, '--workers'));
  if (flags.shard !== undefined) o.shard = take(parseShard(flags.shard));
  if (flags.faults !== undefined) o.faults = flags.faults;
  if (flags.fleet !== undefined) o.fleet = flags.fleet;
  if (flags.fleetAt !== undefined) o.fleetAt = flags.fleetAt;
  if (flags.timeout !== undefined) {
    const ms = take(parseDuration(flags.timeout, '--timeout'));
    if (ms !== undefined) o.timeoutMs = Math.max(1, Math.round(ms));
  }
  o.thresholds = flags.threshold ?? [];
  problems.push(...loadThresholdProblems(o.thresholds));
  if (flags.executor !== undefined) {
    if ((EXECUTOR_NAMES as readonly string[]).includes(flags.executor))
      o.executor = flags.executor as ExecutorName;
    else {
      problems.push({
        path: '--executor',
        message: `unknown executor '${flags.executor}', expected one of ${EXECUTOR_NAMES.join(', ')}`,
      });
    }
  }
  const given: Given = new Set(
    (['rate', 'connections', 'stages', 'iterations', 'sessions'] as const)
      .filter((k) => flags[k] !== undefined)
      .map((k) => `--${k}`),
  );
  const executor = o.executor ?? defaultExecutor(given);
  if (executor) {
    problems.push(...executorProblems(executor, given));
    o.executor = executor;
  } else if (flags.executor === undefined) {
    problems.push({
      path: '--rate',
      message: 'expected --rate (open loop), --connections (closed loop) or --stages',
    });
  }
  if (o.shard) problems.push(...shardProblems(o, o.shard));
  if (problems.length === 0) {
    const parsed = LoadOptionsSchema.safeParse(o);
    if (parsed.success) return parsed.data;
    problems.push(...zodProblems(parsed.error));
  }
  throw new HarnessError(
    'INVALID_ARGS',
    `invalid load options (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    {
      problems,
    },
  );
}
