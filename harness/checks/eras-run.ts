import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { ERA_VERSION, type Era } from '../schema/era.js';
import type { CheckResult } from '../schema/result.js';
import { loadTarget, type TargetSpec } from '../schema/target.js';
import { ERAS, protocolFor } from './era.js';
import { type ChecksRun, type RunChecksOptions, runChecks } from './run-checks.js';

/** `check --protocol`: one era, or both (every suite twice, results side by side). */
export const ProtocolFlagSchema = z.enum(['legacy', 'modern', 'both']);
export type ProtocolFlag = z.infer<typeof ProtocolFlagSchema>;

export interface RunChecksByEraOptions extends RunChecksOptions {
  /** The era(s) to run in; unset: as the target's `protocol` says, untagged. */
  protocol?: string;
}

/** The --protocol value, validated: anything else is INVALID_ARGS (exit 2) naming the allowed values. */
export function parseProtocolFlag(value: string): ProtocolFlag {
  const parsed = ProtocolFlagSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const allowed = ProtocolFlagSchema.options.join(', ');
  throw new HarnessError('INVALID_ARGS', `unknown --protocol '${value}'`, {
    problems: [{ path: '--protocol', message: `expected one of ${allowed}, got '${value}'` }],
  });
}

/**
 * Run the suites in the era(s) `protocol` names: the target's `protocol` set
 * to pin each era in turn, every result tagged with the era (and, for both,
 * its title prefixed, so reports list the two runs side by side). Without
 * `protocol` this is runChecks.
 */
export async function runChecksByEra(options: RunChecksByEraOptions): Promise<ChecksRun> {
  const { protocol, ...rest } = options;
  if (protocol === undefined) return runChecks(rest);
  const flag = parseProtocolFlag(protocol);
  const eras: readonly Era[] = flag === 'both' ? ERAS : [flag];
  const spec = typeof rest.target === 'string' ? await targetFileSpec(rest.target) : rest.target;
  const runs: ChecksRun[] = [];
  for (const era of eras) {
    const tag = (r: CheckResult): CheckResult => ({
      ...r,
      era,
      ...(eras.length > 1 ? { title: `[${ERA_VERSION[era]}] ${r.title}` } : {}),
    });
    const run = await runChecks({
      ...rest,
      target: { ...spec, protocol: protocolFor(era) },
      onResult: (r) => rest.onResult?.(tag(r)),
    });
    runs.push({ ...run, results: run.results.map(tag) });
    if (rest.signal?.aborted) break;
  }
  const error = runs.find((r) => r.error)?.error;
  const codeMode = runs.find((r) => r.codeMode)?.codeMode;
  return {
    target: runs[0]?.target ?? String(rest.target),
    results: runs.flatMap((r) => r.results),
    ...(error ? { error } : {}),
    ...(codeMode ? { codeMode } : {}),
  };
}

/** A target file as a spec whose file-relative paths (fleet, access) are made absolute. */
async function targetFileSpec(file: string): Promise<TargetSpec> {
  const spec = await loadTarget(resolve(file));
  const dir = dirname(resolve(file));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  return {
    ...spec,
    name: spec.name ?? resolve(file),
    ...(spec.access ? { access: abs(spec.access) } : {}),
    ...(spec.checks?.fleet
      ? { checks: { ...spec.checks, fleet: abs(spec.checks.fleet) } as TargetSpec['checks'] }
      : {}),
  };
}
