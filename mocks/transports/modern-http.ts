import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  classifyInboundRequest,
  createMcpHandler,
  type JSONRPCMessage,
  type ServerNotifier,
  type Transport,
} from '@modelcontextprotocol/server';
import type { Era, EraChoice } from '../../harness/schema/era.js';
import { buildServer } from '../server/catalog.js';
import { Connection } from '../server/connection.js';
import type { Mock } from '../server/mock.js';

/**
 * The 2026-07-28 leg of a mock's streamable HTTP endpoint, served by the SDK's
 * own modern entry (`createMcpHandler`, modern-only): server/discover, the
 * per-request `_meta` envelope, the Mcp-Method/Mcp-Name header checks (-32020),
 * missing client capabilities (-32021), unsupported versions (-32022 with
 * data.supported), resultType, cache hints and subscriptions/listen are the
 * SDK's, so the mock is exactly as strict as an SDK v2 server. Each exchange is
 * one Connection of era `modern`, recorded in the call log like any other;
 * closing the response stream before the answer is the client cancelling.
 */
export interface ModernLeg {
  /** Serve one HTTP exchange on `conn` (the caller admitted the request and shaped the response). */
  serve(req: IncomingMessage, res: ServerResponse, body: unknown, conn: Connection): Promise<void>;
  /** subscriptions/listen streams: tell them the tool list changed. */
  notify: ServerNotifier;
  close(): Promise<void>;
}

export function modernLeg(mock: Mock): ModernLeg {
  const current = new AsyncLocalStorage<Connection>();
  const handler = createMcpHandler(
    () => {
      const conn = current.getStore() ?? new Connection(mock, undefined, 'modern');
      const server = buildServer(conn);
      conn.server = server;
      const connect = server.connect.bind(server);
      server.connect = async (transport: Transport) => {
        await connect(transport);
        noteSent(conn, transport);
      };
      return server;
    },
    {
      legacy: 'reject',
      // json would drop progress and log notifications: `auto` answers one JSON body when there are none.
      responseMode: mock.spec.http.response === 'sse' ? 'sse' : 'auto',
      onerror: () => {},
    },
  );
  const node = toNodeHandler(handler);
  return {
    serve: (req, res, body, conn) => current.run(conn, () => node(req, res, body)),
    notify: handler.notify,
    close: () => handler.close(),
  };
}

/** Every message the SDK sends on the exchange passes the connection (outcomes, first byte, notifications). */
function noteSent(conn: Connection, transport: Transport): void {
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage, options) => {
    conn.noteSent(message, options?.relatedRequestId);
    return send(message, options);
  };
}

/**
 * Which leg of a mock serves an HTTP request: a single-era mock serves every
 * request on its era (a legacy mock answers a modern request as a 2025 server
 * does, a modern one refuses a legacy request with -32022); a dual one routes by
 * the SDK's own classification (the body's `_meta` envelope first, the
 * protocol-version header as a cross-check).
 */
export function legOf(served: EraChoice, req: IncomingMessage, body: unknown): Era {
  if (served !== 'dual') return served;
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const outcome = classifyInboundRequest({
    httpMethod: req.method ?? 'GET',
    protocolVersionHeader: header('mcp-protocol-version'),
    mcpMethodHeader: header('mcp-method'),
    mcpNameHeader: header('mcp-name'),
    body,
  });
  return outcome.kind === 'legacy' ? 'legacy' : 'modern';
}
