import type { z } from 'zod';
import type { Problem } from '../../harness/errors.js';
import type { ProtocolChoice } from '../../harness/schema/target.js';
import type { Connection } from '../../harness/target/connect.js';
import type { ErrorKind, Phase } from '../result.js';
import type { ProbeTarget } from '../targets.js';

/** What a module's run returns; a thrown error fails the probe with its classified kind. */
export interface ModuleOutcome {
  ok: boolean;
  /** Why it failed (required when ok is false). */
  kind?: ErrorKind;
  reason?: string;
  tools?: number;
  /** Drift items (added + removed + changed schemas) against the snapshot or the previous probe. */
  changed?: number;
  catalogHash?: number;
  /** Human-readable lines (drift items, expectation results), bounded by the module. */
  details?: string[];
}

/** What a module sees of the probe it runs in. */
export interface ProbeContext {
  target: ProbeTarget;
  moduleName: string;
  /** Aborted at the probe's timeout (or when the daemon stops). */
  signal: AbortSignal;
  /** Milliseconds left before the probe's timeout (at least 1). */
  remainingMs(): number;
  /** Connect (once) and time the connect and initialize phases. */
  connect(protocol?: ProtocolChoice): Promise<Connection>;
  /** Time one phase; a phase run twice adds up. */
  phase<T>(name: Phase, fn: () => Promise<T>): Promise<T>;
  /** One tool call's latency, in integer µs (the call histogram). */
  observeCall(us: number): void;
  /** The catalogue the previous probe of this target and module saw (drift without a snapshot). */
  previous: PreviousStore;
  /** `--update-snapshots`: write the catalogue a module pins before comparing. */
  updateSnapshots: boolean;
}

/** One catalogue kept per target and module: bounded by the config, dropped on reload when gone. */
export interface PreviousStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Request options every module passes to the SDK so a call ends at the probe's timeout. */
export function requestOptions(ctx: ProbeContext): { signal: AbortSignal; timeout: number } {
  return { signal: ctx.signal, timeout: ctx.remainingMs() };
}

export interface ProbeModule<S extends z.ZodType = z.ZodType> {
  /** The value of `kind` in the config. */
  kind: string;
  summary: string;
  /** The module's config shape; must have `kind: z.literal(kind)`. */
  schema: S;
  /** Keys of the spec holding file paths: resolved against the config's folder when it loads. */
  paths?: string[];
  /** Cross-checks needing the file system (snapshot and scenario files), relative to the config's folder. */
  check?(spec: z.output<S>, path: string): Promise<Problem[]>;
  run(spec: z.output<S>, ctx: ProbeContext): Promise<ModuleOutcome>;
}

export function defineProbeModule<S extends z.ZodType>(m: ProbeModule<S>): ProbeModule<S> {
  return m;
}
