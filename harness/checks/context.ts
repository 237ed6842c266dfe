import type { Fleet } from '../../mocks/server/fleet.js';
import type { MockHandle } from '../../mocks/server/handle.js';
import type { Endpoint, Pattern } from '../schema/target.js';
import type { CodeMode } from '../target/access-detect.js';
import type { AccessRoutes } from '../target/access-routes.js';
import type { ToolMap } from '../target/naming.js';
import type { Target } from '../target/target.js';
import type { OpenSessionOptions, Session } from './session.js';

/** What a check gets: the SUT (one main session, more on demand), the fleet behind it, and cleanup. */
export interface CheckContext {
  readonly pattern: Pattern;
  /** The SUT's endpoint, placeholders rendered (undefined for a mesh: see `target.connections`). */
  readonly endpoint: Endpoint | undefined;
  /** The opened target: its clients (one per server in a mesh) and tool map. */
  readonly target: Target;
  readonly fleet: Fleet;
  /** The per-request bound the target declares (its `timeoutMs`). */
  readonly timeoutMs: number;
  /** Per-suite options from the target file's `checks.<suite>` (validated by the suite). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The main session, opened when the suite started (undefined for a mesh). */
  readonly session: Session | undefined;
  readonly toolMap: ToolMap;
  /** Set when the SUT lists meta-tools instead of the fleet's tools (detected once per run). */
  readonly codeMode?: CodeMode;
  /** The target's access adapter and what it lists, when the target names one. */
  readonly access?: AccessRoutes;
  /** A fleet mock by name; throws when the fleet has none (a check bug). */
  mock(name: string): MockHandle;
  /** The exposed name of logical `server.tool`, or undefined when the SUT does not expose it. */
  exposed(logical: string): string | undefined;
  /** Another session to the SUT; closed after the check. */
  open(options?: Omit<OpenSessionOptions, 'timeoutMs'> & { timeoutMs?: number }): Promise<Session>;
  /** Stop and start the SUT again (its launch recipe); `between` runs while it is down. */
  relaunch(between?: () => Promise<void>): Promise<void>;
  /** Run after the check, whatever its outcome (restore what it changed). */
  defer(fn: () => Promise<unknown>): void;
  /** Aborted when the check's own deadline passes. */
  readonly signal: AbortSignal;
}
