import type { HistogramSummary } from '../schema/histogram.js';
import type { ErrorCounts, LoadOptions } from '../schema/load.js';
import type { Expect } from '../schema/scenario.js';
import type { Endpoint, ProtocolChoice } from '../schema/target.js';
import type { Share } from './executors/types.js';
import type { ExpectationCount } from './expectations.js';

/**
 * What the main thread hands each worker (structured-clone data only), and
 * what workers post back: a tick per second of the run and one final
 * message with their whole histograms and attribution samples.
 */

/**
 * One step of an iteration: a call (the exposed tool name on one of the
 * target's connections; `refs` when its arguments hold `{{…}}` references to
 * render per call; `expect` when the scenario gave expectations), a wait, or a group.
 */
export type IterationStep =
  | {
      kind: 'call';
      step: string;
      /** The logical server.tool (expectations name it). */
      logical: string;
      client: string;
      tool: string;
      args: Record<string, unknown>;
      refs: boolean;
      expect?: Expect;
    }
  | { kind: 'wait'; ms: number }
  | { kind: 'parallel'; steps: IterationStep[] }
  | { kind: 'repeat'; times: number; steps: IterationStep[] };

export interface WorkerTask {
  share: Share;
  options: LoadOptions;
  /** Where each step's `client` goes (the target's connections). */
  endpoints: Record<string, Endpoint>;
  protocol: ProtocolChoice;
  /** Per request. */
  timeoutMs: number;
  /** Opening a session (the handshake): the target's timeout. */
  connectTimeoutMs: number;
  steps: IterationStep[];
  /** Per-step histograms (scenarios); a single tool call needs none. */
  perStep: boolean;
  /** The scenario's `vars`, for `{{vars.X}}`. */
  vars: Record<string, unknown>;
  /** This worker's share of max-in-flight (open loop). */
  maxInFlight: number;
  /** Sessions this worker opens per endpoint for an open loop (closed loop: one per VU). */
  sessions: number;
  /** Trace ids of sampled requests start with this (16 hex digits), so call-log records can be matched. */
  tracePrefix: string;
  /** Sample one request in this many for attribution (a traceparent in `_meta`). */
  sampleEvery: number;
  /** Send over undici with pre-serialized bodies where the transport allows (default true). */
  hotPath: boolean;
}

/** A sampled call: when it was sent and answered, to match with the mocks' call-log records. */
export interface CallSample {
  traceId: string;
  step: string;
  sentUs: number;
  doneUs: number;
  ok: boolean;
}

export interface TickMessage {
  type: 'tick';
  worker: number;
  second: number;
  requests: number;
  ok: number;
  dropped: number;
  errors: ErrorCounts;
  /** Response times completed in this second, HDR-encoded. */
  hdr: string;
}

export interface DoneMessage {
  type: 'done';
  worker: number;
  scheduled: number;
  sent: number;
  completed: number;
  dropped: number;
  errors: ErrorCounts;
  histograms: HistogramSummary[];
  samples: CallSample[];
  eras: Record<string, number>;
  expectations: ExpectationCount[];
}

export interface FailedMessage {
  type: 'failed';
  worker: number;
  message: string;
  code?: string;
}

/** Sessions are open: the worker waits for the shared start (`{type: 'start', startUs}`). */
export interface ReadyMessage {
  type: 'ready';
  worker: number;
}

export type WorkerMessage = ReadyMessage | TickMessage | DoneMessage | FailedMessage;

/** What the main thread sends a worker: the shared start, or stop (Ctrl-C, a failed worker). */
export type ControlMessage = { type: 'start'; startUs: number } | { type: 'stop' };

export function emptyErrors(): ErrorCounts {
  return { isError: 0, jsonrpc: 0, http: 0, timeout: 0, transport: 0, detail: {} };
}

/** Add `b` into `a`. */
export function addErrors(a: ErrorCounts, b: ErrorCounts): ErrorCounts {
  a.isError += b.isError;
  a.jsonrpc += b.jsonrpc;
  a.http += b.http;
  a.timeout += b.timeout;
  a.transport += b.transport;
  for (const [k, v] of Object.entries(b.detail)) a.detail[k] = (a.detail[k] ?? 0) + v;
  return a;
}

export function errorTotal(e: ErrorCounts): number {
  return e.isError + e.jsonrpc + e.http + e.timeout + e.transport;
}
