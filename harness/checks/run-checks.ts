import { dirname, resolve } from 'node:path';
import { HarnessError, isHarnessError } from '../errors.js';
import type { CheckResult } from '../schema/result.js';
import { loadTarget, type TargetSpec } from '../schema/target.js';
import { loadAccess } from '../target/access.js';
import { type CodeMode, codeModeReason } from '../target/access-detect.js';
import { applyBaseline, loadBaseline } from './baseline.js';
import { acquireFleet, type CheckFleet } from './check-fleet.js';
import { openInstance, whyOneInstance } from './instance.js';
import { allChecks } from './registry.js';
import { notRun, runPhases } from './run-phases.js';
import { DEFAULT_CONCURRENCY } from './schedule.js';
import { selectChecks } from './select.js';
import { openSut, type RunState, type Sut } from './sut.js';
import { transcriptRelay } from './transcript.js';

/**
 * Run conformance suites against a target: start the fleet the suites need,
 * launch/connect the SUT behind it, run the checks (run-phases.ts: those
 * that may share the SUT together, the rest one at a time with the fleet
 * restored after each; when the harness launches the SUT, the shared ones
 * on a second instance with a fleet of its own, at the same time: instance.ts). A SUT that dies mid-suite is relaunched once; if it
 * stays down, every remaining check is blocked with that reason. Results come
 * in the order of the checks. Invalid input throws (exit 2); everything else
 * is a result.
 */
export interface RunChecksOptions {
  target: string | TargetSpec;
  /** Suite names (validated: an unknown one is INVALID_ARGS). */
  suites?: readonly string[];
  /** Check ids (or id prefixes ending in `.`) to run; default all of the suites. */
  only?: readonly string[];
  /** Expected-failures baseline file. */
  expectedFailures?: string;
  /** Deadline of one check (default 30 s; at least what the target's `deadlineMs` needs). */
  checkTimeoutMs?: number;
  /** Checks that may share the SUT run this many at a time (default 2; 1: every check alone, in order). */
  concurrency?: number;
  /** Called as each result is known (concurrent checks finish in any order). */
  onResult?: (result: CheckResult) => void;
  signal?: AbortSignal;
  /** Control API of a fleet already running elsewhere (`mock --fleet conformance --port-base N`): use it, never stop it. */
  fleetAt?: string;
  /** Record each check's messages to and from the SUT (CheckResult.transcript; see transcript.ts). */
  verbose?: boolean;
}

export interface ChecksRun {
  target: string;
  results: CheckResult[];
  /** Why the SUT could not be started or reached at all (exit 3), when that happened. */
  error?: { code: string; message: string };
  /** Set when the SUT is a code-mode/tool-search gateway (detected once, from its first tool list). */
  codeMode?: CodeMode & { observed: string };
}

export async function runChecks(options: RunChecksOptions): Promise<ChecksRun> {
  const targetFile = typeof options.target === 'string' ? resolve(options.target) : undefined;
  const spec = targetFile ? await loadTarget(targetFile) : (options.target as TargetSpec);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new HarnessError(
      'INVALID_ARGS',
      `--concurrency must be a whole number ≥ 1, got ${options.concurrency}`,
      {
        problems: [
          { path: '--concurrency', message: `expected a whole number ≥ 1, got ${options.concurrency}` },
        ],
      },
    );
  const checks = selectChecks(spec, options.suites, options.only);
  const baseline = options.expectedFailures
    ? await loadBaseline(options.expectedFailures, new Set(allChecks().map((c) => c.id)))
    : {};
  const label = spec.name ?? (targetFile ? targetFile : spec.pattern);
  const state: RunState = {
    relay: options.verbose ? transcriptRelay('main session') : undefined,
    access: spec.access
      ? await loadAccess(spec.access, targetFile ? dirname(targetFile) : process.cwd())
      : undefined,
  };

  const results: CheckResult[] = [];
  const order = new Map(checks.map((c, i) => [c.id, i]));
  const inOrder = () => results.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const emit = (r: CheckResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  let sut: Sut | undefined;
  let acquired: CheckFleet | undefined;
  try {
    acquired = await acquireFleet(spec, targetFile, options.fleetAt);
    const { fleet, mcpServersFile } = acquired;
    const open = () => openSut(spec, fleet, mcpServersFile, state, options.signal);
    try {
      sut = await open();
    } catch (e) {
      if (!isHarnessError(e) || e.code === 'INVALID_CONFIG') throw e;
      for (const c of checks)
        emit(notRun(c, `the SUT could not be started or reached: ${e.message}`, 'SUT start'));
      return {
        target: label,
        results: applyBaseline(inOrder(), baseline),
        error: { code: e.code, message: e.render() },
      };
    }
    const holder = { current: sut };
    try {
      await runPhases(checks, {
        spec,
        fleet,
        state,
        sut: holder,
        open,
        concurrency,
        verbose: options.verbose,
        checkTimeoutMs: options.checkTimeoutMs,
        emit,
        signal: options.signal,
        ...(concurrency > 1 && whyOneInstance(spec, options.fleetAt) === undefined
          ? { another: () => openInstance(spec, targetFile, state, options.signal) }
          : {}),
      });
    } finally {
      sut = holder.current;
    }
  } finally {
    await sut?.target.close().catch(() => {});
    await acquired?.release();
  }
  const codeMode = state.codeMode && {
    ...state.codeMode,
    observed: codeModeReason(state.codeMode, state.access !== undefined),
  };
  return { target: label, results: applyBaseline(inOrder(), baseline), ...(codeMode ? { codeMode } : {}) };
}
