import { HarnessError, type Problem } from '../errors.js';
import type { LoadOptions, LoadOptionsInput, Shard } from '../schema/load.js';
import { shareOf } from './executors/types.js';
import type { Parsed } from './stages.js';

const SHARD_RE = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

/** Parse `--shard i/n` (1 ≤ i ≤ n; a Kubernetes JOB_COMPLETION_INDEX is 0-based, so pass index + 1). */
export function parseShard(text: string, path = '--shard'): Parsed<Shard> {
  const m = SHARD_RE.exec(text);
  if (!m) return { problems: [{ path, message: `expected i/n such as 2/4, got '${text}'` }] };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) {
    return { problems: [{ path, message: `expected i/n with 1 ≤ i ≤ n, got '${text}'` }] };
  }
  return { value: { index, count }, problems: [] };
}

/**
 * This shard's part of an integer total: split as evenly as possible (the
 * first `total % count` shards take one more), the way workers split a run;
 * the parts of all shards add up to `total` exactly.
 */
export function shardShareOf(total: number, shard: Shard): number {
  return shareOf(total, { index: shard.index - 1, count: shard.count });
}

/** The integer options a shard splits (each must leave every shard at least 1). */
const INTEGER_SHARES = ['connections', 'sessions', 'maxInFlight'] as const;

/**
 * The options one shard runs: rate, stage targets, connections, sessions and
 * max-in-flight are divided among the shards (deterministically: shard i of n
 * always gets the same part, and the parts add up to the whole); duration,
 * iterations per session and thresholds stay as they are. Throws
 * INVALID_ARGS when an integer cannot give every shard at least 1.
 */
export function applyShard(options: LoadOptions, shard: Shard | undefined = options.shard): LoadOptions {
  if (!shard || shard.count === 1) return options;
  const problems = shardProblems(options, shard);
  if (problems.length > 0) {
    throw new HarnessError('INVALID_ARGS', `cannot split this load into ${shard.count} shards`, { problems });
  }
  const out: LoadOptions = { ...options, shard };
  if (options.rate !== undefined) out.rate = options.rate / shard.count;
  if (options.stages) out.stages = options.stages.map((s) => ({ ...s, target: s.target / shard.count }));
  for (const key of INTEGER_SHARES) {
    const total = options[key];
    if (total !== undefined) out[key] = shardShareOf(total, shard);
  }
  return out;
}

/** Every integer option too small to give each of the shards at least 1. */
export function shardProblems(
  options: Pick<LoadOptionsInput, (typeof INTEGER_SHARES)[number]>,
  shard: Shard,
): Problem[] {
  const problems: Problem[] = [];
  for (const key of INTEGER_SHARES) {
    const total = options[key];
    if (total !== undefined && total < shard.count) {
      problems.push({
        path: `--${flagName(key)}`,
        message: `${total} cannot be split into ${shard.count} shards (expected at least ${shard.count})`,
      });
    }
  }
  return problems;
}

function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
