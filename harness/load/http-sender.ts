import { createParser } from 'eventsource-parser';
import { Pool } from 'undici';
import { classifyAnswer, type RequestOutcome } from './wire.js';

/**
 * The Streamable HTTP hot path: POST pre-serialized JSON-RPC over an undici
 * keep-alive pool (session opened beforehand through the SDK), and read the
 * answer as JSON or as an SSE stream (the first event carrying our id).
 */
export interface HttpSession {
  url: string;
  headers: Record<string, string>;
  sessionId?: string;
  protocolVersion?: string;
}

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

  async send(session: HttpSession, id: number, body: string): Promise<RequestOutcome> {
    const headers: Record<string, string> = { ...this.base };
    if (session.sessionId) headers['mcp-session-id'] = session.sessionId;
    if (session.protocolVersion) headers['mcp-protocol-version'] = session.protocolVersion;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new TimeoutError()), this.timeoutMs);
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers,
        body,
        signal: ac.signal,
      });
      const type = String(res.headers['content-type'] ?? '');
      if (res.statusCode !== 200) {
        await res.body.dump();
        return { ok: false, kind: 'http', detail: String(res.statusCode) };
      }
      if (type.startsWith('text/event-stream')) return await readSse(res.body, id);
      return classifyAnswer(JSON.parse(await res.body.text()));
    } catch (e) {
      if (ac.signal.aborted) return { ok: false, kind: 'timeout' };
      return { ok: false, kind: 'transport', detail: codeOf(e) };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.pool.close().catch(() => {});
  }
}

class TimeoutError extends Error {}

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
