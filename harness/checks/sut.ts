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

/**
 * As good as fresh after a check that killed and restarted fleet servers: it
 * answers, lists as many tools as when it was opened, and serves a call on
 * every fleet server that has a tool needing no arguments (a gateway that
 * never reconnects to a restarted server fails here). Anything else: false.
 */
async function recovered(sut: Sut, fleet: Fleet): Promise<boolean> {
  const session = sut.session;
  if (!session) return false;
  try {
    await answersPing(sut);
    const before = sut.target.tools.get(SUT)?.length ?? 0;
    if ((await session.tools()).length < before) return false;
    for (const server of fleet.spec.servers) {
      const tool = server.tools.find(harmless);
      const name = tool && sut.target.toolMap.resolve(`${server.name}.${tool.name}`);
      if (!name) continue;
      if ((await session.call(name, {})).outcome !== 'ok') return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * After a check: is the SUT still answering? Relaunch it when it is not, or
 * when the check was disruptive and the SUT did not recover on its own; the
 * reason when it cannot be brought back.
 */
export async function ensureAlive(
  sut: Sut,
  fleet: Fleet,
  open: () => Promise<Sut>,
  disruptive: boolean,
  replace: (s: Sut) => void,
): Promise<string | undefined> {
  const fine = disruptive
    ? await recovered(sut, fleet)
    : await answersPing(sut).then(
        () => true,
        () => false,
      );
  if (fine) return undefined;
  await sut.target.close().catch(() => {});
  try {
    const next = await open();
    replace(next);
    await answersPing(next);
    return undefined;
  } catch (e) {
    return e instanceof HarnessError ? e.message : (e as Error).message;
  }
}
