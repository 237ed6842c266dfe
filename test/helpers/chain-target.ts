import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadTarget, type TargetSpec } from '../../harness/schema/target.js';
import type { ChainDefect } from '../../mocks/patterns/chain/defects.js';

/**
 * The reference chain as the chain suite sees it: the shipped target file
 * scenarios/targets/reference-chain.yaml (launch recipe, fleet and
 * `checks.chain` options), made independent of the working directory
 * (absolute paths, this node) and with `--defect` switches added.
 * The chain runs compiled: `npm run build` first.
 */

const ROOT = resolve(import.meta.dirname, '../..');
export const REFERENCE_CHAIN_TARGET = resolve(ROOT, 'scenarios/targets/reference-chain.yaml');

/** A launch argument that names a file of the repository, made absolute. */
function absolute(arg: string): string {
  if (arg.startsWith('-') || arg.includes('{') || isAbsolute(arg)) return arg;
  const path = resolve(ROOT, arg);
  return existsSync(path) ? path : arg;
}

/** `checks.fleet` resolved against the target file's folder (as runChecks does for a file). */
function withFleetPath(checks: TargetSpec['checks']): TargetSpec['checks'] {
  if (!checks?.fleet) return checks;
  const out: NonNullable<TargetSpec['checks']> = { ...checks };
  out.fleet = resolve(dirname(REFERENCE_CHAIN_TARGET), checks.fleet);
  return out;
}

export async function referenceChain(defects: readonly ChainDefect[] = []): Promise<TargetSpec> {
  const spec = await loadTarget(REFERENCE_CHAIN_TARGET);
  const launch = spec.launch!;
  return {
    ...spec,
    name: defects.length ? `reference-chain+${defects.join('+')}` : 'reference-chain',
    launch: {
      ...launch,
      command: launch.command === 'node' ? process.execPath : launch.command,
      args: [...launch.args.map(absolute), ...defects.flatMap((d) => ['--defect', d])],
    },
    checks: withFleetPath(spec.checks),
  };
}
