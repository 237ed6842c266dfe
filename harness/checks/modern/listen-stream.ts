import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { createParser } from 'eventsource-parser';
import { waitFor } from '../gateway/resilience-util.js';
import { ACCEPT_BOTH, type Wire } from '../http/wire.js';
import { modernRequest, routingHeaders } from './wire.js';

/**
 * A 2026-07-28 `subscriptions/listen` request on the wire: its response
 * stream read as it arrives (not at its end: it ends only when closed), every
 * JSON-RPC message kept in order. `close` aborts the request, which is how a
 * client ends a subscription over HTTP.
 */
export interface ListenStream {
  /** The request's JSON-RPC id (notifications on the stream carry it as their subscription id). */
  id: string;
  status: number;
  contentType: string;
  /** Every message received so far. */
  messages: JSONRPCMessage[];
  /** The body when the answer is not a stream (an error), '' otherwise. */
  body: string;
  /** The first message matching `pred` within `ms` (undefined when none came). */
  next(pred: (m: JSONRPCMessage) => boolean, ms: number): Promise<JSONRPCMessage | undefined>;
  close(): void;
}

/** Open a subscriptions/listen stream asking for `notifications` (the filter). */
export async function openListen(wire: Wire, notifications: Record<string, unknown>): Promise<ListenStream> {
  const body = modernRequest('subscriptions/listen', { notifications });
  const stop = new AbortController();
  const close = () => stop.abort();
  wire.signal.addEventListener('abort', close, { once: true });
  const res = await fetch(wire.url, {
    method: 'POST',
    headers: {
      ...wire.headers,
      'content-type': 'application/json',
      accept: ACCEPT_BOTH,
      ...routingHeaders(body),
    },
    body: JSON.stringify(body),
    // Bounded by the check's own deadline (wire.signal): a stream outlives one request's timeout.
    signal: stop.signal,
  }).catch((e) => {
    wire.signal.removeEventListener('abort', close);
    throw e;
  });
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const messages: JSONRPCMessage[] = [];
  const stream: ListenStream = {
    id: body.id,
    status: res.status,
    contentType,
    messages,
    body: '',
    next: (pred, ms) => waitFor(() => messages.find(pred), ms, { stepMs: 20, signal: wire.signal }),
    close() {
      wire.signal.removeEventListener('abort', close);
      close();
    },
  };
  if (contentType !== 'text/event-stream' || !res.body) {
    stream.body = await res.text().catch(() => '');
    stream.close();
    return stream;
  }
  const parser = createParser({
    onEvent: (e) => {
      try {
        messages.push(JSON.parse(e.data) as JSONRPCMessage);
      } catch {
        // not JSON: not a message (a priming event)
      }
    },
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>)
        parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // closed by us or the server: the stream ends here
    }
  })();
  return stream;
}
