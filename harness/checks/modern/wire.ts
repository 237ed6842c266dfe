import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type JSONRPCMessage,
  PROTOCOL_VERSION_META_KEY,
} from '@modelcontextprotocol/client';
import { ERA_VERSION } from '../../schema/era.js';
import { parseLoosely, request, responseTo, send, type Wire, type WireReply } from '../http/wire.js';
import { blocked, type Verdict } from '../types.js';

/**
 * The 2026-07-28 wire, for checks that look at what the SDK client hides: a
 * request carries its own `_meta` envelope (protocol version, client info,
 * capabilities) and repeats its method (and tool/prompt name or resource
 * URI) in the Mcp-Method / Mcp-Name headers. No initialize, no session.
 */

export const MODERN_VERSION = ERA_VERSION.modern;

export interface ModernRequestOptions {
  /** Extra envelope keys (log level, capabilities…). */
  envelope?: Record<string, unknown>;
  /** Headers to send instead of the ones the body implies (`undefined` removes one). */
  headers?: Record<string, string | undefined>;
}

/** A 2026-07-28 request: `params._meta` carries the envelope. */
export function modernRequest(method: string, params: Record<string, unknown> = {}, envelope = {}) {
  const meta = (params._meta ?? {}) as Record<string, unknown>;
  return request(method, {
    ...params,
    _meta: {
      ...meta,
      [PROTOCOL_VERSION_META_KEY]: MODERN_VERSION,
      [CLIENT_INFO_META_KEY]: { name: 'mcp-harness-wire', version: '0.1.0' },
      [CLIENT_CAPABILITIES_META_KEY]: {},
      ...envelope,
    },
  });
}

/** The routing headers a body implies: Mcp-Method, and Mcp-Name for a named tool/prompt or a URI. */
export function routingHeaders(body: {
  method: string;
  params?: Record<string, unknown>;
}): Record<string, string> {
  const name = body.params?.name ?? body.params?.uri;
  return {
    'mcp-protocol-version': MODERN_VERSION,
    'mcp-method': body.method,
    ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
  };
}

export interface ModernExchange {
  reply: WireReply;
  /** The JSON-RPC answer to the request (undefined when the body holds none). */
  answer: (JSONRPCMessage & { id: string | number }) | undefined;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** POST one 2026-07-28 request (headers from the body unless overridden) and read its answer. */
export async function sendModern(
  wire: Wire,
  method: string,
  params: Record<string, unknown> = {},
  opts: ModernRequestOptions = {},
): Promise<ModernExchange> {
  const body = modernRequest(method, params, opts.envelope);
  const reply = await send(wire, body, { headers: { ...routingHeaders(body), ...opts.headers } });
  const answer = responseTo(body.id, parseLoosely(reply));
  const out: ModernExchange = { reply, answer };
  if (answer && 'result' in answer) out.result = answer.result as Record<string, unknown>;
  if (answer && 'error' in answer) out.error = answer.error as ModernExchange['error'];
  return out;
}

/**
 * A modern check's precondition: the SUT answers server/discover with
 * 2026-07-28. Undefined when it does; otherwise the check is blocked by
 * modern.discover (which reports the finding).
 */
export async function discovered(wire: Wire): Promise<Verdict | undefined> {
  const x = await sendModern(wire, 'server/discover');
  const versions = x.result?.supportedVersions;
  if (Array.isArray(versions) && versions.includes(MODERN_VERSION)) return undefined;
  return blocked(
    `the SUT does not serve ${MODERN_VERSION}: server/discover: ${describeExchange(x)}`,
    'modern.discover',
  );
}

/** An exchange in words, for observations. */
export function describeExchange(x: ModernExchange): string {
  if (x.error) return `HTTP ${x.reply.status}, error ${x.error.code} '${x.error.message}'`;
  if (x.result) return `HTTP ${x.reply.status}, a result`;
  return `HTTP ${x.reply.status} without a JSON-RPC answer: ${x.reply.body.slice(0, 160) || 'no body'}`;
}
