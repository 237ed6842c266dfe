import type { IncomingHttpHeaders } from 'node:http';
import { createParser, type EventSourceParser } from 'eventsource-parser';
import { type Dispatcher, Pool } from 'undici';
import { classifyAnswer, type RequestOutcome } from './wire.js';

/**
 * The Streamable HTTP hot path: POST pre-serialized JSON-RPC over an undici
 * keep-alive pool (session opened beforehand through the SDK), dispatched
 * with a handler that reads the answer as JSON or as an SSE stream (the
 * first event carrying our id) straight from the socket's chunks.
 */
export interface HttpSession {
  /** Every header of this session's requests, built once (see HttpSender.headersFor). */
  headers: Record<string, string>;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export class HttpSender {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly base: Record<string, string>;

  constructor(
    url: string,
    headers: Record<string, string>,
    connections: number,
    private readonly timeoutMs: number,
  ) {
    const u = new URL(url);
    this.pool = new Pool(u.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.path = `${u.pathname}${u.search}`;
    this.base = {
      ...headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
  }

  /** The headers of a session's requests: the endpoint's, the session id and the negotiated version. */
  headersFor(sessionId: string | undefined, protocolVersion: string | undefined): Record<string, string> {
    return {
      ...this.base,
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
      ...(protocolVersion ? { 'mcp-protocol-version': protocolVersion } : {}),
    };
  }

  /**
   * One request, dispatched to the pool with a handler that reads the answer
   * as it arrives (no body stream per request). The deadline is undici's own
   * (no answer, or no further bytes, within `timeoutMs`): no timer or abort
   * signal per request.
   */
  send(session: HttpSession, id: number, body: string): Promise<RequestOutcome> {
    return new Promise((resolve) => {
      this.pool.dispatch(
        {
          method: 'POST',
          path: this.path,
          headers: session.headers,
          body,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        },
        new AnswerHandler(id, resolve),
      );
    });
  }

  close(): Promise<void> {
    return this.pool.close().catch(() => {});
  }
}

/**
 * Reads one answer: a status other than 200 is an `http` outcome (its body
 * discarded), a JSON body is parsed once complete, an SSE stream is fed to
 * the parser until the event carrying our id (progress and other
 * notifications skipped) and read to its end, so the socket stays reusable.
 */
class AnswerHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private chunks: Buffer[] = [];
  private sse: EventSourceParser | undefined;
  private answer: RequestOutcome | undefined;
  private settled = false;

  constructor(
    private readonly id: number,
    private readonly resolve: (o: RequestOutcome) => void,
  ) {}

  /** Undici tells this handler API (onResponse…) from the legacy one by this method. */
  onRequestStart(): void {}

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    const type = headers['content-type'];
    if (status === 200 && typeof type === 'string' && type.startsWith('text/event-stream'))
      this.sse = createParser({ onEvent: (e) => this.onEvent(e.data) });
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.status !== 200) return;
    if (this.sse) {
      if (!this.answer) this.sse.feed(chunk.toString('utf8'));
    } else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.settle(this.outcome());
  }

  private outcome(): RequestOutcome {
    if (this.status !== 200) return { ok: false, kind: 'http', detail: String(this.status) };
    if (this.sse)
      return this.answer ?? { ok: false, kind: 'transport', detail: 'SSE stream ended without an answer' };
    const text =
      this.chunks.length === 1
        ? (this.chunks[0] as Buffer).toString('utf8')
        : Buffer.concat(this.chunks).toString('utf8');
    try {
      return classifyAnswer(JSON.parse(text));
    } catch {
      return { ok: false, kind: 'transport', detail: 'malformed JSON answer' };
    }
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    const code = codeOf(error);
    this.settle(
      TIMEOUT_CODES.has(code)
        ? { ok: false, kind: 'timeout' }
        : { ok: false, kind: 'transport', detail: code },
    );
  }

  private onEvent(data: string): void {
    // An event without data primes resumability (its id only); it carries no message.
    if (this.answer || data === '') return;
    let message: { id?: unknown } | undefined;
    try {
      message = JSON.parse(data);
    } catch {
      this.answer = { ok: false, kind: 'transport', detail: 'malformed SSE event' };
      return;
    }
    if (message && message.id === this.id) this.answer = classifyAnswer(message);
  }

  private settle(o: RequestOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = [];
    this.resolve(o);
  }
}

function codeOf(e: unknown): string {
  for (let x: unknown = e, d = 0; x && d < 4; x = (x as { cause?: unknown }).cause, d++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return e instanceof Error ? e.name : 'error';
}
