import { HarnessError } from '../errors.js';
import type { TargetSpec } from '../schema/target.js';
import { allChecks, SUITE_CHECKS } from './registry.js';
import { type Check, SUITES, type SuiteName } from './types.js';

/** The suites that apply to a target when none are named. */
export function defaultSuites(spec: TargetSpec): SuiteName[] {
  // The modern wire (2026-07-28) is checked over HTTP; its checks skip themselves in a legacy run.
  const http = spec.endpoint?.transport === 'http' ? (['http', 'modern'] as const) : [];
  switch (spec.pattern) {
    case 'gateway':
      return ['gateway', ...http, 'security', 'cross-era'];
    case 'chain':
      return ['chain', ...http];
    case 'mesh':
      return ['mesh'];
    default:
      return [...http];
  }
}

/** The checks to run, in suite order; unknown suites or ids are INVALID_ARGS listing each. */
export function selectChecks(
  spec: TargetSpec,
  suites?: readonly string[],
  only?: readonly string[],
): Check[] {
  const problems = [
    ...(suites ?? [])
      .filter((s) => !(SUITES as readonly string[]).includes(s))
      .map((s) => ({
        path: '--suite',
        message: `unknown suite '${s}'; expected one of ${SUITES.join(', ')}`,
      })),
    ...(only ?? [])
      .filter((id) => !allChecks().some((c) => c.id === id || (id.endsWith('.') && c.id.startsWith(id))))
      .map((id) => ({ path: '--only', message: `no check '${id}'` })),
  ];
  if (problems.length > 0) throw new HarnessError('INVALID_ARGS', 'unknown suites or checks', { problems });
  const chosen = (
    suites?.length ? suites : only?.length ? SUITES : defaultSuites(spec)
  ) as readonly SuiteName[];
  const checks = chosen.flatMap((s) => [...SUITE_CHECKS[s]]);
  if (!only?.length) return checks;
  return checks.filter((c) => only.some((id) => c.id === id || (id.endsWith('.') && c.id.startsWith(id))));
}
