import { ERA_VERSION, type Era } from '../schema/era.js';
import type { CheckResult } from '../schema/result.js';
import type { CheckContext } from './context.js';
import { ERAS, erasInUse } from './era.js';

/**
 * A check is one conformance assertion: plain data plus `run(ctx)`. Failures
 * are data (a verdict), not exceptions; an exception thrown by `run` becomes a
 * failed check with the error as its observation (the check itself broke).
 */

export const SUITES = ['gateway', 'http', 'security', 'chain', 'mesh', 'modern', 'cross-era'] as const;
export type SuiteName = (typeof SUITES)[number];

/** A MUST that breaks fails the check; a SHOULD that breaks warns. */
export type Severity = 'must' | 'should';

export type Verdict =
  | { status: 'pass'; observed: string; evidence?: Record<string, unknown> }
  | { status: 'fail'; observed: string; evidence?: Record<string, unknown> }
  | { status: 'skip'; reason: string }
  | { status: 'blocked'; reason: string; by?: string };

export interface Check {
  /** `suite.kebab-name`, stable: baselines and `--only` refer to it. */
  id: string;
  title: string;
  suite: SuiteName;
  /** Spec version + section (`MCP 2025-11-25 server/tools §Error Handling`) or the practice enforced. */
  specRef: string;
  severity: Severity;
  /** What a conforming system does, in one sentence (the report's "expected"). */
  expected: string;
  /**
   * The check kills or restarts fleet servers: it runs after the others. (After
   * every check the SUT must be as good as when it was opened, else it is
   * relaunched, so a SUT that never recovers fails this check only.)
   */
  disruptive?: boolean;
  /**
   * The check may run alongside other concurrent checks, each on a session
   * of its own (`ctx.session` is then its own): it injects no fault, changes
   * no fleet server, opens only sessions it closes, reads no call log and
   * judges nothing by timing that other sessions' load could bend.
   */
  concurrent?: boolean;
  /**
   * A fleet resource a concurrent check needs to itself while it runs (a
   * tool whose call log it reads, `alpha.progress`): concurrent checks naming
   * the same one run one after the other, never at once.
   */
  uses?: string;
  /**
   * The protocol eras the check applies to (default both). In a run speaking
   * another era it is `skip`, with the reason.
   */
  eras?: readonly Era[];
  run(ctx: CheckContext): Promise<Verdict>;
}

/**
 * Define a check (typed; keeps check files free of boilerplate). A check
 * limited to some eras is skipped, with the reason, in a run of another.
 */
export function check(def: Check): Check {
  const eras = def.eras ?? ERAS;
  if (ERAS.every((e) => eras.includes(e))) return def;
  return {
    ...def,
    eras,
    async run(ctx) {
      const inUse = erasInUse(ctx);
      if (eras.some((e) => inUse.includes(e))) return def.run(ctx);
      const named = (list: readonly Era[]) => list.map((e) => `${e} (${ERA_VERSION[e]})`).join(', ');
      return skip(`applies to the ${named(eras)} era; this run speaks ${named(inUse)}`);
    },
  };
}

export const pass = (observed: string, evidence?: Record<string, unknown>): Verdict => ({
  status: 'pass',
  observed,
  ...(evidence ? { evidence } : {}),
});

export const fail = (observed: string, evidence?: Record<string, unknown>): Verdict => ({
  status: 'fail',
  observed,
  ...(evidence ? { evidence } : {}),
});

/** The target cannot be asked this (not HTTP, no replicas declared): not a finding. */
export const skip = (reason: string): Verdict => ({ status: 'skip', reason });

/**
 * The SUT kept the check from running (a tool it needs is not exposed, a
 * warm-up call failed, a name maps to two tools): a finding, counted as a
 * failure unless baselined. `by` names the check or condition that blocks it.
 */
export const blocked = (reason: string, by?: string): Verdict => ({
  status: 'blocked',
  reason,
  ...(by ? { by } : {}),
});

/** Pass when `ok`, else fail; both with the same observation. */
export const verdict = (ok: boolean, observed: string, evidence?: Record<string, unknown>): Verdict =>
  ok ? pass(observed, evidence) : fail(observed, evidence);

/** The result of a check, from its definition and verdict. */
export function toResult(c: Check, v: Verdict, durationMs: number): CheckResult {
  const base = {
    id: c.id,
    title: c.title,
    suite: c.suite,
    severity: c.severity,
    specRef: c.specRef,
    expected: c.expected,
    durationMs: Math.round(durationMs * 1000) / 1000,
  };
  if (v.status === 'skip') return { ...base, status: 'skip', observed: 'not run', reason: v.reason };
  if (v.status === 'blocked')
    return {
      ...base,
      status: 'blocked',
      observed: 'not run',
      reason: v.reason,
      ...(v.by ? { blockedBy: v.by } : {}),
    };
  const status = v.status === 'pass' ? 'pass' : c.severity === 'must' ? 'fail' : 'warn';
  return { ...base, status, observed: v.observed, ...(v.evidence ? { evidence: v.evidence } : {}) };
}
