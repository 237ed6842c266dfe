import { createParser } from 'eventsource-parser';
import { Pool } from 'undici';
import { classifyAnswer, type RequestOutcome } from './wire.js';

/**
 * The Streamable HTTP hot path: POST pre-serialized JSON-RPC over an undici
 * keep-alive pool (session opened beforehand through the SDK), and read the
 * answer as JSON or as an SSE stream (the first event carrying our id).
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
   * One request. The deadline is undici's own (no answer, or no further
   * bytes, within `timeoutMs`): no timer or abort signal per request.
   */
  async send(session: HttpSession, id: number, body: string): Promise<RequestOutcome> {
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers: session.headers,
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        return { ok: false, kind: 'http', detail: String(res.statusCode) };
      }
      const type = res.headers['content-type'];
      if (typeof type === 'string' && type.startsWith('text/event-stream'))
        return await readSse(res.body, id);
      return classifyAnswer(JSON.parse(await res.body.text()));
    } catch (e) {
      const code = codeOf(e);
      if (TIMEOUT_CODES.has(code)) return { ok: false, kind: 'timeout' };
      return { ok: false, kind: 'transport', detail: code };
    }
  }

  close(): Promise<void> {
    return this.pool.close().catch(() => {});
  }
}

/** The first SSE event that is the answer to `id` (progress and other notifications are skipped). */
async function readSse(body: AsyncIterable<Buffer>, id: number): Promise<RequestOutcome> {
  let answer: RequestOutcome | undefined;
  const parser = createParser({
    onEvent(event) {
      // An event without data primes resumability (its id only); it carries no message.
      if (answer || event.data === '') return;
      let message: { id?: unknown } | undefined;
      try {
        message = JSON.parse(event.data);
      } catch {
        answer = { ok: false, kind: 'transport', detail: 'malformed SSE event' };
        return;
      }
      if (message && message.id === id) answer = classifyAnswer(message);
    },
  });
  // Read to the end (the server closes the stream after the answer), so the socket stays reusable.
  for await (const chunk of body) if (!answer) parser.feed(chunk.toString('utf8'));
  return answer ?? { ok: false, kind: 'transport', detail: 'SSE stream ended without an answer' };
}

function codeOf(e: unknown): string {
  for (let x: unknown = e, d = 0; x && d < 4; x = (x as { cause?: unknown }).cause, d++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return e instanceof Error ? e.name : 'error';
}
