import { ProtocolError } from '@modelcontextprotocol/client';
import type { Fleet } from '../../mocks/server/fleet.js';
import { HarnessError } from '../errors.js';
import { fleetEndpoints, fleetPlaceholders } from '../runner/fleet-endpoints.js';
import type { ToolSpec } from '../schema/fleet.js';
import type { TargetSpec } from '../schema/target.js';
import type { Access } from '../target/access.js';
import { type CodeMode, codeModeOf } from '../target/access-detect.js';
import { type AccessRoutes, accessRoutes } from '../target/access-routes.js';
import { openTarget, SUT, type Target } from '../target/target.js';
import { type Session, sessionOf } from './session.js';
import type { TranscriptRelay } from './transcript.js';

/** The SUT as a check run holds it: the opened target, its main session, what its access adapter lists. */
export interface Sut {
  target: Target;
  session: Session | undefined;
  /** What the target's access adapter lists on this SUT. */
  routes: AccessRoutes | undefined;
  /** Fleet servers a plain call reached right after the SUT was opened (see `serving`). */
  serving: Set<string>;
  /** It answered ping when opened (a SUT whose ping answer is broken is judged by the checks, not here). */
  pings: boolean;
}

/** Per run: the access adapter, code-mode detection (once, at the first open), the running check's hook. */
export interface RunState {
  access: Access | undefined;
  detected?: boolean;
  codeMode?: CodeMode;
  /** The running check read the SUT's tool list (see directToolGuard); sequential checks only. */
  onCatalogue?: () => void;
  /** `--verbose`: the main connection's messages go to the transcript of the check running alone. */
  relay?: TranscriptRelay;
}

/** Launch/connect the SUT behind the fleet; detect code mode at the first open. */
export async function openSut(
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
    onMessage: state.relay?.observer,
  });
  const main = target.connections.get(SUT);
  if (!main) {
    const mesh: Sut = { target, session: undefined, routes: undefined, serving: new Set(), pings: false };
    mesh.pings = await answersPing(mesh).then(
      () => true,
      () => false,
    );
    return mesh;
  }
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
  const session = sessionOf(main, spec.timeoutMs, hooks);
  const sut: Sut = { target, session, routes, serving: new Set(), pings: false };
  sut.pings = await answersPing(sut).then(
    () => true,
    () => false,
  );
  sut.serving = await serving(sut, fleet);
  return sut;
}

/** Any answer is life: a JSON-RPC error to ping (a SUT without ping) still means it is there. */
async function answersPing(sut: Sut): Promise<void> {
  for (const c of sut.target.clients.values()) {
    await c.ping({ timeout: 5_000 }).catch((e: unknown) => {
      if (!(e instanceof ProtocolError)) throw e;
    });
  }
}

/** A tool to call for health: no arguments required, a plain answer (no error, progress, logs or questions). */
const harmless = (t: ToolSpec): boolean =>
  !(t.inputSchema.required as unknown[] | undefined)?.length &&
  t.result !== undefined &&
  t.result.isError !== true &&
  !t.progress &&
  !t.logs?.length &&
  !t.ask;

const HEALTH_CALL_MS = 2_500;

/** The fleet servers a plain call (a tool needing no arguments) reaches through the SUT now. */
async function serving(sut: Sut, fleet: Fleet): Promise<Set<string>> {
  const session = sut.session;
  if (!session) return new Set();
  // One call per server, all at once; bounded: a server a gateway hangs on is not serving, and must not hold up the run.
  const reached = await Promise.all(
    fleet.spec.servers.map(async (server) => {
      const tool = server.tools.find(harmless);
      const name = tool && sut.target.toolMap.resolve(`${server.name}.${tool.name}`);
      const r =
        name &&
        (await session.call(name, {}, { timeoutMs: Math.min(HEALTH_CALL_MS, sut.target.spec.timeoutMs) }));
      return r && r.outcome === 'ok' ? [server.name] : [];
    }),
  );
  return new Set(reached.flat());
}

/**
 * As good as when it was opened: it answers, lists as many tools, and still
 * serves a plain call on every fleet server it served then (a gateway that
 * never reconnects to a restarted server, or whose session with a server a
 * check expired, fails here). A mesh (no single session) only has to answer.
 */
async function asGoodAsOpened(sut: Sut, fleet: Fleet): Promise<boolean> {
  try {
    const session = sut.session;
    const before = sut.target.tools.get(SUT)?.length ?? 0;
    // All asked at once; any of them short or failing is enough.
    const [, listed, now] = await Promise.all([
      sut.pings ? answersPing(sut) : undefined,
      session ? session.tools().then((t) => t.length) : before,
      serving(sut, fleet),
    ]);
    // A mesh (no session) only had to answer ping as its clients did when opened.
    return listed >= before && [...sut.serving].every((s) => now.has(s));
  } catch {
    return false;
  }
}

/**
 * After a check: is the SUT as good as when it was opened? Relaunch it when
 * it is not (so what one check broke never fails the next), or when `force`;
 * the reason when it cannot be brought back.
 */
export async function ensureAlive(
  sut: Sut,
  fleet: Fleet,
  open: () => Promise<Sut>,
  replace: (s: Sut) => void,
  /** Relaunch whatever its state (a SUT the check itself relaunched). */
  force = false,
): Promise<string | undefined> {
  if (!force && (await asGoodAsOpened(sut, fleet))) return undefined;
  await sut.target.close().catch(() => {});
  try {
    const next = await open();
    replace(next);
    return undefined;
  } catch (e) {
    return e instanceof HarnessError ? e.message : (e as Error).message;
  }
}
