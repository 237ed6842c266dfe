import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { nowUs } from '../../harness/measure/clock.js';
import type { WireEffect } from '../faults/types.js';
import { buildServer } from '../server/catalog.js';
import { type Admission, Connection } from '../server/connection.js';
import type { Mock, MockHost } from '../server/mock.js';
import { createHttpHost } from './http-host.js';
import { answerInstead } from './http-wire.js';
import { lowerHeaders } from './streamable-http.js';

/**
 * The 2024-11-05 HTTP+SSE transport: GET /sse opens an event stream whose
 * first `endpoint` event names the POST URL; every server message is a
 * `message` event. Written here rather than taken from the SDK because the
 * harness must control the bytes on the stream to act out wire faults.
 */
class SseStreamTransport implements Transport {
  onclose?: () => void;
  onerror?: (e: Error) => void;
  onmessage?: Transport['onmessage'];
  readonly sessionId = randomUUID();
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly postPath: string,
  ) {
    res.on('close', () => this.finish());
  }

  async start(): Promise<void> {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    this.res.write(`event: endpoint\ndata: ${this.postPath}?sessionId=${this.sessionId}\n\n`);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.write(frame(JSON.stringify(message)));
  }

  write(bytes: string): void {
    if (!this.closed) this.res.write(bytes);
  }

  destroy(): void {
    this.res.socket?.destroy();
  }

  async close(): Promise<void> {
    this.res.end();
    this.finish();
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}

const frame = (data: string) => `event: message\ndata: ${data}\n\n`;

/**
 * A legacy SSE mock, as strict as a real server: a request on a stream that
 * never sent `initialize` is refused unless the server is `lenient`, and going
 * down (kill, crash, flap) drops every stream and forgets its session id.
 */
export function legacySseHost(mock: Mock): MockHost {
  const sessions = new Map<
    string,
    { conn: Connection; transport: SseStreamTransport; observed: Transport }
  >();
  const base = mock.spec.http.path.replace(/\/mcp$/, '') || '';
  const ssePath = `${base}/sse`;
  const postPath = `${base}/messages`;

  /** Wire faults on the event stream: garbage, a cut mid-event, or a dribbled event. */
  const wireHook =
    (transport: SseStreamTransport) =>
    async (message: JSONRPCMessage, wire: WireEffect, adm: Admission): Promise<boolean> => {
      const bytes = frame(JSON.stringify(message));
      if (wire.kind === 'drop') {
        transport.write(bytes.slice(0, wire.afterBytes));
        adm.record.outcome = 'dropped';
        mock.log.touch(adm.record);
        transport.destroy();
        return true;
      }
      if (wire.kind === 'slow') {
        for (let i = 0; i < bytes.length; i += wire.chunkBytes) {
          transport.write(bytes.slice(i, i + wire.chunkBytes));
          await new Promise((r) => setTimeout(r, wire.intervalMs));
        }
        return true;
      }
      return false;
    };

  const openStream = async (res: ServerResponse) => {
    const transport = new SseStreamTransport(res, postPath);
    const conn = new Connection(mock, transport.sessionId);
    const observed = conn.observe(transport, wireHook(transport));
    const server = buildServer(conn);
    conn.server = server;
    mock.connections.add(conn);
    sessions.set(transport.sessionId, { conn, transport, observed });
    await server.connect(observed);
    const serverClose = observed.onclose;
    observed.onclose = () => {
      serverClose?.();
      mock.connections.delete(conn);
      sessions.delete(transport.sessionId);
    };
  };

  const post = async (req: IncomingMessage, res: ServerResponse, body: string | undefined, url: URL) => {
    const sid = url.searchParams.get('sessionId');
    const session = sid ? sessions.get(sid) : undefined;
    if (!session) return text(res, 404, 'Session not found');
    let message: JSONRPCMessage;
    try {
      message = JSON.parse(body ?? '') as JSONRPCMessage;
    } catch {
      return text(res, 400, 'Invalid JSON');
    }
    const headers = lowerHeaders(req);
    // A connection that never sent initialize is refused on its stream, as a real server answers.
    const refusal = session.conn.refuseBeforeInitialize(message, headers);
    if (refusal) {
      text(res, 202, 'Accepted');
      return session.transport.send(refusal);
    }
    // Admitted here (with the POST's headers) so an http-status fault can answer the POST itself.
    const adm = session.conn.admit(message, headers);
    const wire = adm?.wire;
    if (wire?.kind === 'http-status') {
      answerInstead(res, wire, adm!.record, false);
      mock.log.touch(adm!.record);
      return;
    }
    if (wire?.kind === 'malformed') {
      adm!.record.firstByteUs = nowUs();
      session.transport.write(`event: message\ndata: ${wire.bytes}\n\n`);
      adm!.record.outcome = 'malformed';
      adm!.record.completedUs = nowUs();
      mock.log.touch(adm!.record);
      return text(res, 202, 'Accepted');
    }
    // Deliver after answering 202, as SSE servers do: the answer travels on the stream.
    text(res, 202, 'Accepted');
    session.observed.onmessage?.(message);
  };

  /** Going down ends every stream and forgets its session id (a POST to it answers 404). */
  const dropStreams = async () => {
    const all = [...sessions.values()];
    sessions.clear();
    for (const s of all) s.transport.destroy();
    await Promise.allSettled(all.map((s) => s.conn.server?.close()));
  };

  const host = createHttpHost(mock, mock.spec.http.port, ssePath, async (req, res, body, url) => {
    if (req.method === 'GET' && url.pathname === ssePath) return openStream(res);
    if (req.method === 'POST' && url.pathname === postPath) return post(req, res, body, url);
    text(res, 404, `no route ${req.method} ${url.pathname}`);
  });
  return {
    ...host,
    async goDown() {
      await host.goDown();
      await dropStreams();
    },
    async close() {
      await host.close();
      await dropStreams();
    },
  };
}

function text(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}
