import {
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type MessageExtraInfo,
  PROTOCOL_VERSION_META_KEY,
  type Server,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { nowUs } from '../../harness/measure/clock.js';
import type { CallRecord } from '../../harness/schema/call-log.js';
import type { Era } from '../../harness/schema/era.js';
import type { WireEffect } from '../faults/types.js';
import { wireEffectOf } from './effects.js';
import type { AppliedFault } from './fault-engine.js';
import type { MockState } from './state.js';

export interface Admission {
  record: CallRecord;
  applied: AppliedFault[];
  wire?: WireEffect;
}

/** A message's HTTP headers, or how to get them: read only when the message is recorded (not on a repeat admit). */
export type HeaderSource = Record<string, string> | (() => Record<string, string> | undefined);

/** Sends a response the transport way, or handles the wire effect itself (returns true when it did). */
export type WireHook = (message: JSONRPCMessage, wire: WireEffect, admission: Admission) => Promise<boolean>;

let connectionCounter = 0;

/** What the SDK's HTTP transport answers a request on a session that never initialized. */
const NOT_INITIALIZED = { code: -32000, message: 'Bad Request: Server not initialized' } as const;

/**
 * One client connection (an MCP session, a stdio pipe, or one stateless HTTP
 * exchange). It records every message in the mock's call log, decides faults
 * once per request (`admit`) and hands the decision to the handlers.
 */
export class Connection {
  id: string;
  private readonly admissions = new Map<string, Admission>();
  /** The client has sent `initialize` on this connection. */
  private initialized = false;
  /** Refuse requests before `initialize` on messages arriving through `observe` (stdio). */
  gateBeforeInitialize = false;
  /** Each message's era is its own: modern when it carries the per-request `_meta` envelope (a dual stdio pipe). */
  eraByEnvelope = false;
  server?: Server;

  constructor(
    readonly mock: MockState,
    id?: string,
    /** The era this connection speaks; a stdio pipe that opens with server/discover turns modern. */
    public era: Era = 'legacy',
  ) {
    this.id = id ?? `c${++connectionCounter}`;
  }

  /** Adopt the MCP session id once the SDK has issued it (records made before it get it too). */
  rename(id: string): void {
    const old = this.id;
    this.id = id;
    for (const { record } of this.admissions.values()) if (record.connection === old) record.connection = id;
  }

  /** Record an incoming message and, for a request, decide which faults fire. Idempotent per request id. */
  admit(message: JSONRPCMessage, headers?: HeaderSource): Admission | undefined {
    if (!('method' in message)) return undefined;
    const isRequest = 'id' in message && message.id !== undefined;
    if (isRequest) {
      const existing = this.admissions.get(String(message.id));
      if (existing) return existing;
    }
    const record = this.recordOf(message, headers);
    const params = (message.params ?? {}) as Record<string, unknown>;
    this.mock.log.add(record);
    if (!isRequest) {
      if (message.method === 'notifications/cancelled') this.markCancelled(params.requestId);
      this.mock.log.touch(record);
      return undefined;
    }
    const applied = this.mock.faults.admit({
      mock: this.mock.spec.name,
      method: message.method,
      tool: record.tool,
      arguments: record.arguments,
    });
    record.faults = applied.map((a) => a.id);
    const admission: Admission = { record, applied, wire: wireEffectOf(applied) };
    this.admissions.set(String(record.id), admission);
    this.mock.log.touch(record);
    return admission;
  }

  /**
   * A strict mock refuses every request but `initialize` and `ping` until the
   * client has sent `initialize`, as real servers do: the answer is the JSON-RPC
   * error to send instead of serving it (recorded in the call log, no faults
   * applied). Lenient mocks, notifications and responses pass (undefined).
   */
  refuseBeforeInitialize(message: JSONRPCMessage, headers?: HeaderSource): JSONRPCMessage | undefined {
    if (this.mock.spec.lenient || !('method' in message) || !('id' in message) || message.id === undefined)
      return undefined;
    // A 2026-07-28 request has no initialize before it: the envelope is its handshake.
    if (this.eraByEnvelope && eraOfMessage(message) === 'modern') return undefined;
    if (message.method === 'initialize') this.initialized = true;
    if (this.initialized || message.method === 'ping') return undefined;
    const record = this.recordOf(message, headers);
    record.outcome = 'error';
    record.errorCode = NOT_INITIALIZED.code;
    record.completedUs = record.firstByteUs = nowUs();
    this.mock.log.add(record);
    this.mock.log.touch(record);
    return { jsonrpc: '2.0', id: message.id, error: { ...NOT_INITIALIZED } };
  }

  private recordOf(message: JSONRPCRequest | JSONRPCNotification, headers?: HeaderSource): CallRecord {
    const params = (message.params ?? {}) as Record<string, unknown>;
    const meta = params._meta as Record<string, unknown> | undefined;
    const isRequest = 'id' in message && message.id !== undefined;
    const isCall = message.method === 'tools/call';
    return {
      seq: this.mock.nextSeq(),
      mock: this.mock.spec.name,
      instance: this.mock.instance,
      connection: this.id,
      era: this.eraByEnvelope ? eraOfMessage(message) : this.era,
      kind: isRequest ? 'request' : 'notification',
      id: isRequest ? (message as { id: string | number }).id : undefined,
      method: message.method,
      tool: isCall ? (params.name as string | undefined) : undefined,
      arguments: isCall ? ((params.arguments as Record<string, unknown> | undefined) ?? {}) : undefined,
      params: isCall ? undefined : withoutMeta(params),
      meta,
      traceparent: typeof meta?.traceparent === 'string' ? meta.traceparent : undefined,
      progressToken: meta?.progressToken as string | number | undefined,
      headers: typeof headers === 'function' ? headers() : headers,
      receivedUs: nowUs(),
      outcome: isRequest ? 'pending' : 'result',
      faults: [],
      sent: [],
    };
  }

  admissionFor(id: string | number): Admission | undefined {
    return this.admissions.get(String(id));
  }

  /** Note an outgoing message against the request it answers or relates to. */
  noteSent(message: JSONRPCMessage, relatedRequestId?: string | number): Admission | undefined {
    const at = nowUs();
    if ('id' in message && message.id !== undefined && !('method' in message)) {
      const adm = this.admissions.get(String(message.id));
      if (!adm) return undefined;
      const r = adm.record;
      r.firstByteUs ??= at;
      r.completedUs = at;
      if ('error' in message) {
        r.outcome = r.cancelled ? 'cancelled' : 'error';
        r.errorCode = message.error.code;
      } else if (r.outcome === 'pending') {
        r.outcome = (message.result as { isError?: boolean }).isError === true ? 'isError' : 'result';
      }
      this.admissions.delete(String(message.id));
      this.mock.log.touch(r);
      return adm;
    }
    if ('method' in message && relatedRequestId !== undefined) {
      const r = this.admissions.get(String(relatedRequestId))?.record;
      if (r) {
        r.firstByteUs ??= at;
        r.sent.push({ method: message.method, atUs: at });
      }
    }
    return undefined;
  }

  /**
   * A modern exchange is over (its response stream closed). Unanswered requests
   * were either refused before any handler ran (`refusedWith`, the error code
   * written on the wire) or cancelled: closing the stream is how a 2026-07-28
   * client cancels.
   */
  settleExchange(refusedWith: number | undefined): void {
    for (const { record } of this.admissions.values()) {
      if (record.outcome !== 'pending' && record.outcome !== 'hung') continue;
      if (refusedWith !== undefined) {
        record.outcome = 'error';
        record.errorCode = refusedWith;
        record.completedUs ??= nowUs();
      } else {
        record.cancelled = true;
        record.outcome = 'cancelled';
      }
      this.mock.log.touch(record);
    }
    this.admissions.clear();
  }

  /** Requests still unanswered when the connection or mock goes away. */
  settleOpen(outcome: CallRecord['outcome']): void {
    for (const { record } of this.admissions.values()) {
      if (record.outcome === 'pending' || record.outcome === 'hung') {
        record.outcome = record.cancelled ? 'cancelled' : outcome;
        this.mock.log.touch(record);
      }
    }
    this.admissions.clear();
  }

  private markCancelled(requestId: unknown): void {
    const adm = requestId === undefined ? undefined : this.admissions.get(String(requestId));
    if (!adm) return;
    adm.record.cancelled = true;
    if (adm.record.outcome === 'pending' || adm.record.outcome === 'hung') adm.record.outcome = 'cancelled';
    this.mock.log.touch(adm.record);
  }

  /**
   * Wrap an SDK server transport so every message in and out passes through
   * this connection. `wire` lets a transport act out wire effects itself (stdio, SSE).
   */
  observe(
    inner: Transport,
    wire?: WireHook,
    headersOf?: (extra?: MessageExtraInfo) => Record<string, string> | undefined,
  ): Transport {
    const conn = this;
    const outer: Transport = {
      start: () => inner.start(),
      close: () => inner.close(),
      async send(message: JSONRPCMessage, options?: TransportSendOptions) {
        const adm = conn.noteSent(message, options?.relatedRequestId);
        if (adm?.wire && wire && (await wire(message, adm.wire, adm))) return;
        return inner.send(message, options);
      },
      get sessionId() {
        return inner.sessionId;
      },
      setProtocolVersion: inner.setProtocolVersion ? (v: string) => inner.setProtocolVersion?.(v) : undefined,
    };
    Object.defineProperty(outer, 'hasPerRequestStream', { get: () => inner.hasPerRequestStream });
    inner.onclose = () => {
      conn.settleOpen('hung');
      outer.onclose?.();
    };
    inner.onerror = (e) => outer.onerror?.(e);
    inner.onmessage = (message, extra) => {
      const headers = () => headersOf?.(extra) ?? headersFromRequest(extra?.request);
      const refusal = conn.gateBeforeInitialize ? conn.refuseBeforeInitialize(message, headers) : undefined;
      if (refusal) return void inner.send(refusal).catch((e: Error) => outer.onerror?.(e));
      conn.admit(message, headers);
      outer.onmessage?.(message, extra);
    };
    return outer;
  }
}

/** A message is modern when its `_meta` names a protocol version (the 2026-07-28 per-request envelope). */
export function eraOfMessage(message: JSONRPCRequest | JSONRPCNotification): Era {
  const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  return meta && typeof meta[PROTOCOL_VERSION_META_KEY] === 'string' ? 'modern' : 'legacy';
}

function withoutMeta(params: Record<string, unknown>): Record<string, unknown> | undefined {
  const { _meta, ...rest } = params;
  return Object.keys(rest).length ? rest : undefined;
}

export function headersFromRequest(req?: { headers: Headers }): Record<string, string> | undefined {
  if (!req) return undefined;
  const out: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}
