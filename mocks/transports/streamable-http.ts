import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { buildServer } from '../server/catalog.js';
import { Connection } from '../server/connection.js';
import type { Mock, MockHost } from '../server/mock.js';
import { createHttpHost } from './http-host.js';
import { answerInstead, shapeResponse } from './http-wire.js';

interface Session {
  conn: Connection;
  transport: NodeStreamableHTTPServerTransport;
}

/**
 * Streamable HTTP for a mock: stateful (one SDK transport per Mcp-Session-Id)
 * or stateless (a fresh server per request), answering with SSE streams or
 * single JSON bodies. Faults are decided here, before the SDK sees the
 * request, so wire faults can replace or cut the HTTP response.
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
    let session: Session | undefined;
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
    } else {
      const message =
        req.method === 'POST' ? 'Bad Request: Mcp-Session-Id header is required' : 'Method not allowed';
      return sendJson(res, req.method === 'POST' ? 400 : 405, {
        jsonrpc: '2.0',
        error: { code: -32000, message },
        id: null,
      });
    }

    // Requests are admitted before the SDK sees them, so wire faults can replace or cut the HTTP response.
    if (body && isRequest(body)) {
      const adm = session.conn.admit(body, lowerHeaders(req));
      if (adm?.wire) {
        if (adm.wire.kind === 'malformed' || adm.wire.kind === 'http-status') {
          answerInstead(res, adm.wire, adm.record, opts.response === 'sse');
          mock.log.touch(adm.record);
          return;
        }
        shapeResponse(res, adm.wire, adm.record, () => mock.log.touch(adm.record));
      }
    }
    await session.transport.handleRequest(req, res, body);
  };

  return createHttpHost(mock, opts.port, opts.path, async (req, res, body, url) => {
    if (url.pathname !== opts.path)
      return sendJson(res, 404, { error: `no MCP endpoint at ${url.pathname}` });
    await handle(req, res, body);
  });
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
