import {
  type JSONRPCMessage,
  LATEST_PROTOCOL_VERSION,
  parseJSONRPCMessage,
} from '@modelcontextprotocol/client';
import { resolveEnvRefs } from '../../target/placeholders.js';
import type { CheckContext } from '../context.js';
import { fail, skip, type Verdict } from '../types.js';

/**
 * Streamable HTTP on the wire, for the checks that look at status codes,
 * headers and bodies the SDK client hides: `fetch` against the SUT's
 * endpoint, a raw initialize + initialized handshake, and the body of an
 * answer (JSON or SSE) parsed into JSON-RPC messages.
 */

export const ACCEPT_BOTH = 'application/json, text/event-stream';
/** The revision the raw handshake asks for. */
export const WIRE_PROTOCOL_VERSION = LATEST_PROTOCOL_VERSION;

/** Where and how to reach the SUT over HTTP, with the check's deadline. */
export interface Wire {
  url: string;
  /** The target's own headers (credentials), `${ENV}` references resolved. */
  headers: Record<string, string>;
  /** The check's own deadline. */
  signal: AbortSignal;
  /** Bound of one request (the target's timeoutMs, at least 1 s). */
  timeoutMs: number;
}

export interface WireReply {
  status: number;
  /** The media type, lower-cased, without parameters ('' when absent). */
  contentType: string;
  headers: Headers;
  body: string;
}

export interface WireSession {
  wire: Wire;
  /** Undefined when the server does not use sessions. */
  sessionId: string | undefined;
  protocolVersion: string;
  /** The initialize answer, and the id of the request it answers. */
  reply: WireReply;
  initializeId: string;
}

/** The SUT's HTTP endpoint, or undefined when it is not reached over Streamable HTTP. */
export function wireOf(ctx: CheckContext): Wire | undefined {
  const ep = ctx.endpoint;
  if (ep?.transport !== 'http') return undefined;
  return {
    url: ep.url,
    headers: resolveEnvRefs(ep.headers, 'endpoint.headers'),
    signal: ctx.signal,
    timeoutMs: Math.max(ctx.timeoutMs, 1000),
  };
}

export interface SendOptions {
  method?: string;
  /** Extra headers; a value of `undefined` removes one the session would send. */
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** One HTTP request to the endpoint; the whole body is read. */
export async function send(wire: Wire, body: unknown, opts: SendOptions = {}): Promise<WireReply> {
  const headers: Record<string, string> = { ...wire.headers };
  const method = opts.method ?? 'POST';
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers.accept = ACCEPT_BOTH;
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    for (const existing of Object.keys(headers))
      if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
    if (v !== undefined) headers[k] = v;
  }
  const res = await fetch(wire.url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.any([opts.signal ?? wire.signal, AbortSignal.timeout(wire.timeoutMs)]),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    headers: res.headers,
    body: text,
  };
}

/** The headers a request within `s` carries (session id and negotiated version). */
export function sessionHeaders(
  s: Pick<WireSession, 'sessionId' | 'protocolVersion'>,
): Record<string, string> {
  return {
    ...(s.sessionId === undefined ? {} : { 'mcp-session-id': s.sessionId }),
    'mcp-protocol-version': s.protocolVersion,
  };
}

/** Send a message within a session. */
export function sendIn(s: WireSession, body: unknown, opts: SendOptions = {}): Promise<WireReply> {
  return send(s.wire, body, { ...opts, headers: { ...sessionHeaders(s), ...opts.headers } });
}

let nextId = 1;
export const request = (method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0' as const,
  id: `mcp-harness-${nextId++}`,
  method,
  params,
});
export const notification = (method: string, params?: Record<string, unknown>) => ({
  jsonrpc: '2.0' as const,
  method,
  ...(params ? { params } : {}),
});

export const initializeRequest = () =>
  request('initialize', {
    protocolVersion: WIRE_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'mcp-harness-wire', version: '0.1.0' },
  });

/** Thrown when the raw handshake itself fails (the check cannot get to what it looks at). */
export class WireError extends Error {}

/**
 * Run a check body on the wire: skipped when the SUT is not reached over
 * Streamable HTTP; an exchange that breaks off (no HTTP answer, a failed
 * handshake) fails the check with what happened.
 */
export async function onWire(ctx: CheckContext, body: (wire: Wire) => Promise<Verdict>): Promise<Verdict> {
  const wire = wireOf(ctx);
  if (!wire) return skip('the SUT is not reached over Streamable HTTP');
  try {
    return await body(wire);
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    return fail(`the HTTP exchange broke off: ${describeFailure(e)}`);
  }
}

/**
 * `initialize` over fetch: the session id the server assigned (if any) and the
 * protocol version it chose. Throws a WireError when the answer is not a result.
 */
export async function initialize(
  wire: Wire,
  headers: Record<string, string | undefined> = {},
): Promise<WireSession> {
  const req = initializeRequest();
  const reply = await send(wire, req, { headers });
  if (reply.status !== 200) throw new WireError(`initialize answered ${describeReply(reply)}`);
  const answer = responseTo(req.id, parseLoosely(reply));
  const result = answer && 'result' in answer ? (answer.result as Record<string, unknown>) : undefined;
  if (!result) throw new WireError(`initialize answered without a result: ${describeReply(reply)}`);
  const version = typeof result.protocolVersion === 'string' ? result.protocolVersion : WIRE_PROTOCOL_VERSION;
  return {
    wire,
    sessionId: reply.headers.get('mcp-session-id') ?? undefined,
    protocolVersion: version,
    reply,
    initializeId: req.id,
  };
}

/**
 * initialize + notifications/initialized: a session ready for requests. The
 * session is ended (DELETE) after the check.
 */
export async function openWire(ctx: CheckContext, wire: Wire): Promise<WireSession> {
  const s = await initialize(wire);
  ctx.defer(() => endWire(s));
  const ack = await sendIn(s, notification('notifications/initialized'));
  if (ack.status < 200 || ack.status > 299)
    throw new WireError(`notifications/initialized answered ${describeReply(ack)}`);
  return s;
}

/** DELETE the session (best effort, bounded). */
export async function endWire(s: Pick<WireSession, 'wire' | 'sessionId' | 'protocolVersion'>): Promise<void> {
  if (s.sessionId === undefined) return;
  await send(s.wire, undefined, {
    method: 'DELETE',
    headers: sessionHeaders(s),
    signal: AbortSignal.timeout(2000),
  }).catch(() => {});
}

/**
 * The JSON-RPC messages in an answer body: one message or a batch for
 * `application/json`, the `data` of each event for `text/event-stream`.
 * Throws (with what is wrong) when the body is neither.
 */
export function parseBody(reply: Pick<WireReply, 'contentType' | 'body'>): JSONRPCMessage[] {
  const payloads =
    reply.contentType === 'text/event-stream'
      ? sseData(reply.body).filter((d) => d.trim() !== '')
      : reply.contentType === 'application/json'
        ? [reply.body]
        : undefined;
  if (!payloads) throw new Error(`content type '${reply.contentType || '(none)'}' is neither JSON nor SSE`);
  return payloads.flatMap((p) => {
    let value: unknown;
    try {
      value = JSON.parse(p);
    } catch {
      throw new Error(`not JSON: ${clip(p, 80)}`);
    }
    return (Array.isArray(value) ? value : [value]).map((m) => {
      try {
        return parseJSONRPCMessage(m);
      } catch {
        throw new Error(`not a JSON-RPC message: ${clip(JSON.stringify(m), 80)}`);
      }
    });
  });
}

/**
 * Like parseBody, but reading past a wrong content type (JSON first, then
 * SSE), so the checks of other rules still get their session.
 */
export function parseLoosely(reply: Pick<WireReply, 'contentType' | 'body'>): JSONRPCMessage[] {
  const tries = [reply.contentType, 'application/json', 'text/event-stream'];
  let first: unknown;
  for (const contentType of tries) {
    try {
      return parseBody({ contentType, body: reply.body });
    } catch (e) {
      first ??= e;
    }
  }
  throw first;
}

/**
 * The `data` of each event of an SSE stream (WHATWG event-stream rules: lines
 * end in CRLF, LF or CR; `data:` fields of one event join with LF; a blank
 * line dispatches; comments and other fields are skipped).
 */
export function sseData(stream: string): string[] {
  return sseEvents(stream).flatMap((e) => (e.data === undefined ? [] : [e.data]));
}

/** One SSE event: its `id` field (if any) and its data (undefined when it had no `data:` field). */
export interface SseEvent {
  id?: string;
  data?: string;
}

/** The events of an SSE stream with their ids (events with neither data nor id are skipped). */
export function sseEvents(stream: string): SseEvent[] {
  const events: SseEvent[] = [];
  let data: string[] | undefined;
  let id: string | undefined;
  for (const line of stream.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data || id !== undefined)
        events.push({ ...(id === undefined ? {} : { id }), ...(data ? { data: data.join('\n') } : {}) });
      data = undefined;
      id = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id' && !value.includes('\0')) id = value;
    if (field !== 'data') continue;
    data ??= [];
    data.push(value);
  }
  return events;
}

/** The response to request `id` among `messages`. */
export function responseTo(
  id: string | number,
  messages: readonly JSONRPCMessage[],
): (JSONRPCMessage & { id: string | number }) | undefined {
  return messages.find(
    (m): m is JSONRPCMessage & { id: string | number } =>
      'id' in m && m.id === id && ('result' in m || 'error' in m),
  );
}

/** `HTTP 404 application/json: {"jsonrpc"…` for observations. */
export function describeReply(r: WireReply): string {
  const body = r.body.trim() === '' ? 'no body' : clip(r.body, 160);
  return `HTTP ${r.status}${r.contentType ? ` ${r.contentType}` : ''}: ${body}`;
}

/** What went wrong with a request that got no HTTP answer at all. */
export function describeFailure(e: unknown): string {
  if (e instanceof WireError) return e.message;
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `${err?.message ?? String(e)}${cause ? ` (${cause})` : ''}`;
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
