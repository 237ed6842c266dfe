import { check, fail, pass, skip } from '../types.js';
import {
  ACCEPT_BOTH,
  describeReply,
  onWire,
  openWire,
  request,
  type SseEvent,
  sendIn,
  sessionHeaders,
  sseEvents,
  type WireSession,
} from './wire.js';

/** How long the resumed stream is read (it may stay open: the server decides when it ends). */
const READ_MS = 1500;

interface Resumed {
  status: number;
  contentType: string;
  events: SseEvent[];
  /** The start of a body that is not an event stream. */
  body: string;
}

/** GET with Last-Event-ID, reading the stream until `enough` says so, it ends, or READ_MS pass. */
async function resume(s: WireSession, lastEventId: string, enough: (e: SseEvent[]) => boolean) {
  const stop = new AbortController();
  const signal = AbortSignal.any([s.wire.signal, stop.signal]);
  const timer = setTimeout(() => stop.abort(), READ_MS);
  try {
    const res = await fetch(s.wire.url, {
      method: 'GET',
      headers: {
        ...s.wire.headers,
        ...sessionHeaders(s),
        accept: 'text/event-stream',
        'last-event-id': lastEventId,
      },
      signal,
    });
    const out: Resumed = {
      status: res.status,
      contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
      events: [],
      body: '',
    };
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (reader) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      out.events = sseEvents(text.slice(0, Math.max(text.lastIndexOf('\n\n'), 0)));
      if (out.contentType === 'text/event-stream' && enough(out.events)) break;
    }
    out.events = sseEvents(text);
    out.body = text.slice(0, 160);
    return out;
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
}

/** A server that gives its SSE events ids lets a client resume a stream with Last-Event-ID. */
export const sseResume = check({
  id: 'http.sse-resume',
  title: 'SSE streams with event ids can be resumed with Last-Event-ID',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Sending Messages to the Server (a priming event: an event id and empty data), ' +
    '§Resumability and Redelivery (resume by GET with Last-Event-ID; the server MAY replay what followed on that stream)',
  severity: 'should',
  concurrent: true,
  expected:
    'when the SSE answer to a request carries event ids, a GET with Last-Event-ID set to its first id is answered ' +
    '200 text/event-stream (replaying what followed on that stream, or nothing); a SUT that sends no event ids is skipped (resumability is optional)',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const s = await openWire(ctx, wire);
      const req = request('tools/list');
      const reply = await sendIn(s, req, { headers: { accept: ACCEPT_BOTH } });
      if (reply.status !== 200) return fail(`tools/list → ${describeReply(reply)}`);
      if (reply.contentType !== 'text/event-stream')
        return skip(
          `requests are answered with ${reply.contentType || 'no content type'}, not SSE: no event ids`,
        );
      const sent = sseEvents(reply.body);
      const first = sent.find((e) => e.id !== undefined);
      if (!first?.id)
        return skip('the SSE answers carry no event ids (resumability is optional): nothing to resume');
      const isAnswer = (e: SseEvent) => e.data?.includes(JSON.stringify(req.id)) === true;
      const sentAfter = sent.slice(sent.indexOf(first) + 1).filter((e) => e.data?.trim());
      const r = await resume(s, first.id, (events) => events.some(isAnswer));
      const what = `GET with Last-Event-ID ${JSON.stringify(first.id)} (the first of ${sent.length} event(s) answering tools/list)`;
      if (r.status !== 200 || r.contentType !== 'text/event-stream')
        return fail(
          `${what} → HTTP ${r.status}${r.contentType ? ` ${r.contentType}` : ''}: ${r.body.trim() || 'no body'}`,
        );
      const replayed = r.events.filter((e) => e.data?.trim());
      const answer = replayed.some(isAnswer);
      return pass(
        `${what} → HTTP 200 text/event-stream; ${replayed.length} event(s) replayed` +
          (answer
            ? ', the tools/list answer among them'
            : sentAfter.length > 0
              ? ` (the ${sentAfter.length} that followed were not: replay is optional)`
              : ''),
        { sentIds: sent.map((e) => e.id ?? null), replayedIds: replayed.map((e) => e.id ?? null) },
      );
    }),
});
