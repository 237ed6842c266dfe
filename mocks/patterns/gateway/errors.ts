import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describeError } from '../../../harness/target/connect.js';
import type { Defects } from './defects.js';

/**
 * How downstream failures become upstream errors. A downstream JSON-RPC error
 * keeps its code and data; the gateway's own failures use the codes below.
 * Every message names the logical server and tool (`search/query: …`) and
 * carries no stack trace or file path (those go to the gateway's stderr).
 */
export const GATEWAY_ERROR = {
  invalidParams: -32602,
  methodNotFound: -32601,
  internal: -32603,
  /** The downstream cannot be reached, or closed the connection (same code as the SDK's ConnectionClosed). */
  unavailable: -32000,
  /** No answer within the per-call timeout (same code as the SDK's RequestTimeout). */
  timeout: -32001,
} as const;

export type FailureKind = 'jsonrpc' | 'timeout' | 'unavailable' | 'closed' | 'expired' | 'http' | 'internal';

export interface Failure {
  kind: FailureKind;
  code: number;
  /** What went wrong, for a person, without naming the server (the caller adds that). */
  reason: string;
  data?: unknown;
  cause: unknown;
}

/** Thrown by a downstream that cannot be connected; `reason` is safe to show upstream. */
export class DownstreamUnavailable extends Error {
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
    this.name = 'DownstreamUnavailable';
  }
}

/** The gateway gave up waiting (per-call deadline). */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

const UNAVAILABLE_SDK = new Set<string>([
  SdkErrorCode.NotConnected,
  SdkErrorCode.SendFailed,
  SdkErrorCode.ClientHttpFailedToOpenStream,
]);

export function classify(err: unknown, timeoutMs: number): Failure {
  const f = (kind: FailureKind, code: number, reason: string, data?: unknown): Failure => ({
    kind,
    code,
    reason,
    cause: err,
    ...(data !== undefined ? { data } : {}),
  });
  if (err instanceof ProtocolError) return f('jsonrpc', err.code, err.message, err.data);
  if (err instanceof DeadlineExceeded) return f('timeout', GATEWAY_ERROR.timeout, err.message);
  if (err instanceof DownstreamUnavailable) return f('unavailable', GATEWAY_ERROR.unavailable, err.reason);
  if (err instanceof SdkHttpError) {
    if (err.status === 404) return f('expired', GATEWAY_ERROR.unavailable, 'session expired (HTTP 404)');
    return f('http', GATEWAY_ERROR.unavailable, `HTTP ${err.status}`);
  }
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.RequestTimeout)
      return f('timeout', GATEWAY_ERROR.timeout, `no answer within ${timeoutMs} ms`);
    if (err.code === SdkErrorCode.ConnectionClosed)
      return f('closed', GATEWAY_ERROR.unavailable, 'the server closed the connection');
    if (UNAVAILABLE_SDK.has(err.code)) return f('unavailable', GATEWAY_ERROR.unavailable, shortReason(err));
  }
  if (isNetworkError(err) || isNotConnected(err))
    return f('unavailable', GATEWAY_ERROR.unavailable, shortReason(err));
  return f('internal', GATEWAY_ERROR.internal, 'internal gateway error');
}

/** Failures after which the same request may go to another replica (nothing was answered). */
export function canFailover(f: Failure): boolean {
  return f.kind === 'unavailable' || f.kind === 'closed' || f.kind === 'expired' || f.kind === 'http';
}

export interface FailureSite {
  /** Logical server. */
  server: string;
  /** Downstream tool/prompt name or resource URI. */
  target?: string;
}

/** The upstream JSON-RPC error for a failure at `site`. */
export function upstreamError(f: Failure, site: FailureSite, defects: Defects): ProtocolError {
  const code =
    f.kind === 'jsonrpc' && defects.has('jsonrpc-error-flattened') ? GATEWAY_ERROR.internal : f.code;
  const where = site.target ? `${site.server}/${site.target}` : site.server;
  let message = defects.has('anonymous-errors') ? anonymous(f) : `${where}: ${f.reason}`;
  if (defects.has('leak-internals')) message += `\n${stackOf(f.cause)}`;
  if (defects.has('leak-js-error')) message = `${where}: ${careless(f)}`;
  return new ProtocolError(code, message, f.data);
}

/** DEFECT leak-js-error: a formatter that reads `data.details.message` and sends the engine's TypeError text. */
function careless(f: Failure): string {
  try {
    return String((f.data as { details: { message: string } }).details.message);
  } catch (e) {
    return (e as Error).message;
  }
}

function anonymous(f: Failure): string {
  if (f.kind === 'jsonrpc') return f.reason;
  if (f.kind === 'timeout') return 'Request timed out';
  return f.kind === 'internal' ? 'Internal error' : 'Connection closed';
}

function stackOf(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return e.stack ?? `${e.name}: ${e.message}\n    at ${import.meta.url}`;
}

function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, d = 0; e && d < 6; e = (e as { cause?: unknown }).cause, d++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
  }
  return false;
}

function isNotConnected(err: unknown): boolean {
  return err instanceof Error && /^(Not connected|stdio server is not running)$/.test(err.message);
}

/** A one-line reason without paths: the network cause when there is one. */
export function shortReason(err: unknown): string {
  const text = describeError(err).split('\n')[0] ?? 'unknown error';
  return text.replace(/(?:file:\/\/)?(?:\/[\w.@+-]+){2,}/g, '…');
}
