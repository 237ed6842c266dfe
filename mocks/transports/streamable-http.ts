import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { servedEra } from '../../harness/schema/fleet.js';
import { buildServer } from '../server/catalog.js';
import { Connection } from '../server/connection.js';
import type { Mock, MockHost } from '../server/mock.js';
import { createHttpHost } from './http-host.js';
import { answerInstead, refusalCode, shapeResponse } from './http-wire.js';
import { capabilityRefusal, legOf, modernLeg } from './modern-http.js';

interface Session {
  conn: Connection;
  transport: NodeStreamableHTTPServerTransport;
}

/**
 * Streamable HTTP for a mock: stateful (one SDK transport per Mcp-Session-Id)
 * or stateless (a fresh server per request), answering with SSE streams or
 * single JSON bodies. Faults are decided here, before the SDK sees the
 * request, so wire faults can replace or cut the HTTP response. As strict as
 * an SDK server: no session id → 400, an unknown one → 404, and going down
 * (kill, crash, flap) ends every session unless the server is `lenient`.
 * The mock's era (`legacy | modern | dual`) decides which leg serves a request:
 * this sessionful 2025 leg, or the SDK's 2026-07-28 entry (modern-http.ts).
 */
export function streamableHttpHost(mock: Mock): MockHost {
  const opts = mock.spec.http;
  const sessions = new Map<string, Session>();

  const open = async (sessionful: boolean): Promise<Session> => {
    const conn = new Connection(mock);
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: sessionful ? () => randomUUID() : undefined,
      enableJsonResponse: opts.response === 'json',
      onsessioninitialized: (id) => {
        conn.rename(id);
        sessions.set(id, session);
      },
    });
    const session: Session = { conn, transport };
    const server = buildServer(conn);
    conn.server = server;
    mock.connections.add(conn);
    const observed = conn.observe(transport);
    await server.connect(observed);
    const prevClose = observed.onclose as (() => void) | undefined;
    observed.onclose = () => {
      prevClose?.();
      mock.connections.delete(conn);
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    return session;
  };

  /**
   * Requests are admitted before the SDK sees them, so wire faults can replace
   * or cut the HTTP response. True when the fault answered instead.
   */
  const admitWithWire = (
    conn: Connection,
    req: IncomingMessage,
    res: ServerResponse,
    body: JSONRPCMessage,
  ) => {
    const adm = conn.admit(body, lowerHeaders(req));
    if (!adm?.wire) return false;
    if (adm.wire.kind === 'malformed' || adm.wire.kind === 'http-status') {
      answerInstead(res, adm.wire, adm.record, opts.response === 'sse');
      mock.log.touch(adm.record);
      return true;
    }
    shapeResponse(res, adm.wire, adm.record, () => mock.log.touch(adm.record));
    return false;
  };

  const served = servedEra(mock.spec);
  const modern = served === 'legacy' ? undefined : modernLeg(mock);
  mock.modernNotify = modern?.notify;

  /** One modern exchange: its own connection, closed with the response (early close = cancelled). */
  const serveModern = async (req: IncomingMessage, res: ServerResponse, body: JSONRPCMessage | undefined) => {
    const conn = new Connection(mock, undefined, 'modern');
    mock.connections.add(conn);
    const refusal = refusalCode(res);
    res.on('close', () => {
      conn.settleExchange(res.writableFinished ? refusal() : undefined);
      mock.connections.delete(conn);
    });
    if (body && isRequest(body) && admitWithWire(conn, req, res, body)) return;
    const refused = body && capabilityRefusal(mock, body);
    if (refused) return sendJson(res, 400, refused);
    await modern!.serve(req, res, body, conn);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, rawBody: string | undefined) => {
    let body: JSONRPCMessage | undefined;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(rawBody ?? '') as JSONRPCMessage;
      } catch {
        return sendJson(res, 400, {
          jsonrpc: '2.0',
          error: { code: -32700, message: 'Parse error' },
          id: null,
        });
      }
    }
    if (served !== 'legacy' && legOf(served, req, body) === 'modern') return serveModern(req, res, body);
    let session: Session | undefined;
    let fresh: Session | undefined;
    const sid = req.headers['mcp-session-id'];
    if (opts.stateless) {
      session = await open(false);
      res.on('close', () => {
        void session?.transport.close();
        void session?.conn.server?.close();
      });
    } else if (typeof sid === 'string') {
      session = sessions.get(sid);
      if (!session) {
        return sendJson(res, 404, {
          jsonrpc: '2.0',
          error: { code: -32001, message: 'Session not found' },
          id: null,
        });
      }
    } else if (req.method === 'POST' && body && isInitializeRequest(body)) {
      session = await open(true);
      fresh = session;
    } else {
      // Refused as the SDK transport refuses it (a lenient mock answers GET/DELETE 405, as it used to).
      const lenient = mock.spec.lenient && req.method !== 'POST';
      return sendJson(res, lenient ? 405 : 400, {
        jsonrpc: '2.0',
        error: {
          code: -32000,
          message: lenient ? 'Method not allowed' : 'Bad Request: Mcp-Session-Id header is required',
        },
        id: null,
      });
    }

    if (body && isRequest(body) && admitWithWire(session.conn, req, res, body)) return;
    await session.transport.handleRequest(req, res, body);
    // An initialize the transport refused (406, 415…) issued no session: nothing may stay behind.
    if (fresh && !fresh.transport.sessionId) await fresh.conn.server?.close();
  };

  /** Every session ends, as in a server process that exits: their ids answer 404 from now on. */
  const dropSessions = async () => {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.allSettled(all.map((s) => s.conn.server?.close()));
  };

  const host = createHttpHost(mock, opts.port, opts.path, async (req, res, body, url) => {
    if (url.pathname !== opts.path)
      return sendJson(res, 404, { error: `no MCP endpoint at ${url.pathname}` });
    await handle(req, res, body);
  });
  return {
    ...host,
    // A lenient mock keeps its sessions across a restart or flap (the old, forgiving behaviour).
    async goDown() {
      await host.goDown();
      if (!mock.spec.lenient) await dropSessions();
    },
    async close() {
      await host.close();
      await dropSessions();
      await modern?.close();
    },
  };
}

export function isRequest(m: JSONRPCMessage): boolean {
  return !Array.isArray(m) && 'method' in m && 'id' in m && m.id !== undefined;
}

/**
 * Node already lower-cases header names; only multi-valued headers (set-cookie)
 * need joining, so the common case keeps Node's own object and allocates nothing.
 */
export function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const h = req.headers;
  for (const v of Object.values(h)) {
    if (typeof v !== 'string') {
      return Object.fromEntries(
        Object.entries(h)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => [k, Array.isArray(x) ? x.join(', ') : (x as string)]),
      );
    }
  }
  return h as Record<string, string>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
