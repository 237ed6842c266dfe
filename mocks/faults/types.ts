import type { z } from 'zod';
import type { Rng } from './random.js';

export type TransportKind = 'stdio' | 'http' | 'sse';

/** What a fault does to one call. Effects are data; mocks/server/effects.ts executes them. */
export type FaultEffect =
  | { kind: 'delay'; ms: number }
  | { kind: 'result'; result: ToolResultLike }
  | { kind: 'error'; code: number; message: string; data?: unknown }
  | { kind: 'throw'; message: string }
  | { kind: 'hang' }
  | { kind: 'crash' }
  | { kind: 'transform'; apply: (result: ToolResultLike) => ToolResultLike }
  | { kind: 'wire'; wire: WireEffect };

/** How the bytes of the response leave the mock (applied by the transport). */
export type WireEffect =
  | { kind: 'http-status'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'malformed'; bytes: string }
  | { kind: 'drop'; afterBytes: number }
  | { kind: 'slow'; chunkBytes: number; intervalMs: number };

export type ToolResultLike = {
  content: Array<Record<string, unknown>>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  [k: string]: unknown;
};

export interface CallInfo {
  mock: string;
  method: string;
  tool?: string;
  arguments?: Record<string, unknown>;
}

/** The handle a lifecycle fault (flap) gets on its mock. */
export interface MockLifecycle {
  readonly name: string;
  /** Aborted when the mock stops or is killed. */
  readonly stopSignal: AbortSignal;
  goDown(): Promise<void>;
  goUp(): Promise<void>;
}

/**
 * One fault type, registered by name in ./registry.ts (the way toxiproxy
 * registers toxics). `params` is the zod shape of the fault's own fields.
 */
export interface FaultDefinition<S extends z.ZodObject = z.ZodObject> {
  type: string;
  summary: string;
  schema: S;
  /** Transports the fault can act on; undefined means all. */
  transports?: TransportKind[];
  /** Per-call effect, drawn when the selector matches the call. */
  onCall?: (params: z.output<S>, rng: Rng, call: CallInfo) => FaultEffect;
  /** Mock-level effect that runs while the fault is installed (e.g. flap); returns its stop function. */
  attach?: (params: z.output<S>, mock: MockLifecycle, rng: Rng) => () => void;
}

export function defineFault<S extends z.ZodObject>(def: FaultDefinition<S>): FaultDefinition<S> {
  return def;
}
