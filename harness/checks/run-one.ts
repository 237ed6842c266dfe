import type { Fleet } from '../../mocks/server/fleet.js';
import { raceSignal } from '../runner/deadline.js';
import type { TargetSpec } from '../schema/target.js';
import type { CheckContext } from './context.js';
import { directToolGuard, exposedName } from './needs.js';
import { openSession, type Session } from './session.js';
import type { RunState, Sut } from './sut.js';
import type { Transcript } from './transcript.js';
import { type Check, fail, type Verdict } from './types.js';

/** What one check runs against, and how it may change it. */
export interface RunOneInput {
  sut: Sut;
  fleet: Fleet;
  spec: TargetSpec;
  state: RunState;
  /** Launch/connect the SUT again (ctx.relaunch). */
  open: () => Promise<Sut>;
  /** The SUT was relaunched by the check: later checks use the new one. */
  replace: (s: Sut) => void;
  timeoutMs: number;
  /**
   * The check's own session as `ctx.session` (a concurrent check shares the
   * SUT with others, not its main session); the caller opens and closes it.
   */
  ownSession?: Session;
  /** `--verbose`: the check's messages (sessions it opens are tapped here). */
  transcript?: Transcript;
}

/**
 * Run one check with its own deadline: build its context, race it against
 * the deadline, turn a throw into a failed verdict, and run what it deferred.
 */
export async function runOne(c: Check, input: RunOneInput): Promise<Verdict> {
  const { fleet, spec, state } = input;
  const deferred: Array<() => Promise<unknown>> = [];
  const ac = new AbortController();
  const timer = setTimeout(
    () => ac.abort(new Error(`the check did not finish within ${input.timeoutMs} ms`)),
    input.timeoutMs,
  );
  let current = input.sut;
  const guard = directToolGuard(state.codeMode, state.access !== undefined, new Set(fleet.mocks.keys()));
  if (!input.ownSession) {
    state.onCatalogue = guard.onCatalogue;
    state.relay?.use(input.transcript);
  }
  const open = async (o: Parameters<CheckContext['open']>[0] = {}): Promise<Session> => {
    const endpoint = current.target.spec.endpoint;
    if (!endpoint) throw new Error('a mesh has no single endpoint to open a session to');
    const routed = current.routes !== undefined || guard.onCatalogue !== undefined;
    const hooks = routed ? { routes: current.routes, onCatalogue: guard.onCatalogue } : undefined;
    const onMessage = input.transcript?.tap(o.label ?? 'session');
    const s = await openSession(endpoint, {
      timeoutMs: spec.timeoutMs,
      hooks,
      onMessage,
      protocol: spec.protocol,
      ...o,
    });
    deferred.push(() => s.close());
    return s;
  };
  const own = input.ownSession;
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
      return own ?? current.session;
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
    open,
    async relaunch(between) {
      await current.target.close();
      await between?.();
      current = await input.open();
      input.replace(current);
    },
    defer: (fn) => deferred.push(fn),
    signal: ac.signal,
  };
  try {
    return guard.verdict(await raceSignal(c.run(ctx), ac.signal));
  } catch (e) {
    return guard.verdict(fail(`the check could not complete: ${(e as Error)?.message ?? String(e)}`), e);
  } finally {
    if (!input.ownSession) {
      state.onCatalogue = undefined;
      state.relay?.use(undefined);
    }
    clearTimeout(timer);
    for (const fn of deferred.reverse()) await fn().catch(() => {});
  }
}
