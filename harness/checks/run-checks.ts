import { dirname, resolve } from 'node:path';
import { ProtocolError } from '@modelcontextprotocol/client';
import type { Fleet } from '../../mocks/server/fleet.js';
import { HarnessError, isHarnessError } from '../errors.js';
import { raceSignal } from '../runner/deadline.js';
import { fleetEndpoints, fleetPlaceholders } from '../runner/fleet-endpoints.js';
import type { CheckResult } from '../schema/result.js';
import { loadTarget, type TargetSpec } from '../schema/target.js';
import { type Access, loadAccess } from '../target/access.js';
import { type CodeMode, codeModeOf, codeModeReason } from '../target/access-detect.js';
import { type AccessRoutes, accessRoutes } from '../target/access-routes.js';
import { openTarget, SUT, type Target } from '../target/target.js';
import { applyBaseline, loadBaseline } from './baseline.js';
import { acquireFleet, type CheckFleet } from './check-fleet.js';
import type { CheckContext } from './context.js';
import { restoreFleet } from './fleet-state.js';
import { waitForDeadline } from './gateway/resilience-util.js';
import { directToolGuard, exposedName } from './needs.js';
import { allChecks } from './registry.js';
import { selectChecks } from './select.js';
import { openSession, type Session, sessionOf } from './session.js';
import { blocked, type Check, fail, toResult, type Verdict } from './types.js';

/**
 * Run conformance suites against a target: start the fleet the suites need,
 * launch/connect the SUT behind it, run each check with its own deadline and
 * restore the fleet after it. A SUT that dies mid-suite is relaunched once;
 * if it stays down, every remaining check fails with that reason. Invalid
 * input throws (exit 2); everything else is a result.
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
  onResult?: (result: CheckResult) => void;
  signal?: AbortSignal;
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
  const checks = selectChecks(spec, options.suites, options.only);
  const baseline = options.expectedFailures
    ? await loadBaseline(options.expectedFailures, new Set(allChecks().map((c) => c.id)))
    : {};
  const label = spec.name ?? (targetFile ? targetFile : spec.pattern);
  const state: RunState = {
    access: spec.access
      ? await loadAccess(spec.access, targetFile ? dirname(targetFile) : process.cwd())
      : undefined,
  };

  const results: CheckResult[] = [];
  const emit = (r: CheckResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  let sut: Sut | undefined;
  let acquired: CheckFleet | undefined;
  try {
    acquired = await acquireFleet(spec, targetFile);
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
        results: applyBaseline(results, baseline),
        error: { code: e.code, message: e.render() },
      };
    }
    let gone: string | undefined;
    for (const c of checks) {
      if (options.signal?.aborted) break;
      if (gone) {
        emit(notRun(c, `the SUT is gone (${gone})`, 'SUT gone'));
        continue;
      }
      const t0 = performance.now();
      // Never cut the harness's wait for the target's deadline: a check makes up to three such calls.
      const checkMs = Math.max(
        options.checkTimeoutMs ?? 30_000,
        3 * waitForDeadline(spec.deadlineMs) + 10_000,
      );
      const verdict = await runOne(c, sut, fleet, spec, open, checkMs, state, (s) => {
        sut = s;
      });
      emit(toResult(c, verdict, performance.now() - t0));
      await restoreFleet(fleet);
      gone = await ensureAlive(sut, open, c.disruptive === true, (s) => {
        sut = s;
      });
    }
  } finally {
    await sut?.target.close().catch(() => {});
    await acquired?.release();
  }
  const codeMode = state.codeMode && {
    ...state.codeMode,
    observed: codeModeReason(state.codeMode, state.access !== undefined),
  };
  return { target: label, results: applyBaseline(results, baseline), ...(codeMode ? { codeMode } : {}) };
}

/** A check the SUT kept from running is blocked, whatever its severity: nothing was verified. */
function notRun(c: Check, why: string, by: string): CheckResult {
  return toResult(c, blocked(`not run: ${why}`, by), 0);
}

interface Sut {
  target: Target;
  session: Session | undefined;
  /** What the target's access adapter lists on this SUT. */
  routes: AccessRoutes | undefined;
}

/** Per run: the access adapter, code-mode detection (once, at the first open), the running check's hook. */
interface RunState {
  access: Access | undefined;
  detected?: boolean;
  codeMode?: CodeMode;
  /** The running check read the SUT's tool list (see directToolGuard). */
  onCatalogue?: () => void;
}

async function openSut(
  spec: TargetSpec,
  fleet: Fleet,
  mcpServersFile: string,
  state: RunState,
  signal?: AbortSignal,
): Promise<Sut> {
  const target = await openTarget(spec, {
    placeholders: fleetPlaceholders(fleet, mcpServersFile),
    fleetEndpoints: fleetEndpoints(fleet),
    signal,
  });
  const main = target.connections.get(SUT);
  if (!main) return { target, session: undefined, routes: undefined };
  const fleetTools = fleet.spec.servers.flatMap((s) => s.tools.map((t) => `${s.name}.${t.name}`));
  const listed = target.tools.get(SUT) ?? [];
  // Code mode is a gateway shape: a chain or a single server lists tools of its own, not the fleet's.
  if (!state.detected && spec.pattern === 'gateway') {
    state.detected = true;
    state.codeMode = codeModeOf(listed, target.toolMap, fleetTools);
  }
  const routes = state.access
    ? await accessRoutes(
        state.access,
        main.client,
        target.spec.naming,
        fleetTools,
        listed.map((t) => t.name),
      )
    : undefined;
  // Only a SUT reached through an adapter, or a code-mode one (catalogue reads reported), gets a routed client.
  const routed = routes !== undefined || state.codeMode !== undefined;
  const hooks = routed ? { routes, onCatalogue: () => state.onCatalogue?.() } : undefined;
  return { target, session: sessionOf(main, spec.timeoutMs, hooks), routes };
}

async function runOne(
  c: Check,
  sut: Sut,
  fleet: Fleet,
  spec: TargetSpec,
  open: () => Promise<Sut>,
  timeoutMs: number,
  state: RunState,
  replace: (s: Sut) => void,
): Promise<Verdict> {
  const deferred: Array<() => Promise<unknown>> = [];
  const ac = new AbortController();
  const timer = setTimeout(
    () => ac.abort(new Error(`the check did not finish within ${timeoutMs} ms`)),
    timeoutMs,
  );
  let current = sut;
  const guard = directToolGuard(state.codeMode, state.access !== undefined, new Set(fleet.mocks.keys()));
  state.onCatalogue = guard.onCatalogue;
  const ctx: CheckContext = {
    pattern: spec.pattern,
    get endpoint() {
      return current.target.spec.endpoint;
    },
    get target() {
      return current.target;
    },
    fleet,
    timeoutMs: spec.timeoutMs,
    options: (spec.checks?.[c.suite] as Record<string, unknown> | undefined) ?? {},
    get session() {
      return current.session;
    },
    get toolMap() {
      return current.target.toolMap;
    },
    codeMode: state.codeMode,
    get access() {
      return current.routes;
    },
    mock(name) {
      const m = fleet.mocks.get(name);
      if (!m) throw new Error(`the fleet has no server '${name}'`);
      return m;
    },
    exposed: (logical) => guard.exposed(logical, exposedName(current.target, logical, current.routes)),
    async open(o = {}) {
      const endpoint = current.target.spec.endpoint;
      if (!endpoint) throw new Error('a mesh has no single endpoint to open a session to');
      const routed = current.routes !== undefined || guard.onCatalogue !== undefined;
      const hooks = routed ? { routes: current.routes, onCatalogue: guard.onCatalogue } : undefined;
      const s = await openSession(endpoint, { timeoutMs: spec.timeoutMs, hooks, ...o });
      deferred.push(() => s.close());
      return s;
    },
    async relaunch(between) {
      await current.target.close();
      await between?.();
      current = await open();
      replace(current);
    },
    defer: (fn) => deferred.push(fn),
    signal: ac.signal,
  };
  try {
    return guard.verdict(await raceSignal(c.run(ctx), ac.signal));
  } catch (e) {
    return guard.verdict(fail(`the check could not complete: ${(e as Error)?.message ?? String(e)}`), e);
  } finally {
    state.onCatalogue = undefined;
    clearTimeout(timer);
    for (const fn of deferred.reverse()) await fn().catch(() => {});
  }
}

/**
 * After a check: is the SUT still answering? Relaunch it when it is not, or
 * when the check was disruptive (a fresh SUT for the next check); the reason
 * when it cannot be brought back.
 */
async function ensureAlive(
  sut: Sut,
  open: () => Promise<Sut>,
  relaunch: boolean,
  replace: (s: Sut) => void,
): Promise<string | undefined> {
  // Any answer is life: a JSON-RPC error to ping (a SUT without ping) still means it is there.
  const ping = async (s: Sut) => {
    for (const c of s.target.clients.values()) {
      await c.ping({ timeout: 5_000 }).catch((e: unknown) => {
        if (!(e instanceof ProtocolError)) throw e;
      });
    }
  };
  if (!relaunch) {
    try {
      await ping(sut);
      return undefined;
    } catch {
      // fall through: relaunch
    }
  }
  await sut.target.close().catch(() => {});
  try {
    const next = await open();
    replace(next);
    await ping(next);
    return undefined;
  } catch (e) {
    return e instanceof HarnessError ? e.message : (e as Error).message;
  }
}
