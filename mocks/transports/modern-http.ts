import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  CLIENT_CAPABILITIES_META_KEY,
  classifyInboundRequest,
  createMcpHandler,
  type JSONRPCMessage,
  MissingRequiredClientCapabilityError,
  PROTOCOL_VERSION_META_KEY,
  type ServerNotifier,
  type Transport,
} from '@modelcontextprotocol/server';
import { ERA_VERSION, type Era, type EraChoice } from '../../harness/schema/era.js';
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
  if (plainLegacyRequest(req, body)) return 'legacy';
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

/**
 * The common case decided without the SDK classifier (which tries every
 * JSON-RPC shape in turn): a POSTed request with no envelope claim in its
 * `_meta` and no modern MCP-Protocol-Version header is legacy by the same rules
 * the classifier applies. Anything else goes to the classifier.
 */
function plainLegacyRequest(req: IncomingMessage, body: unknown): boolean {
  if (req.method !== 'POST' || typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const m = body as { jsonrpc?: unknown; method?: unknown; id?: unknown; params?: unknown };
  if (m.jsonrpc !== '2.0' || typeof m.method !== 'string') return false;
  if (typeof m.id !== 'string' && !Number.isInteger(m.id)) return false;
  if ('result' in m || 'error' in m) return false;
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && (typeof version !== 'string' || version.trim() >= ERA_VERSION.modern))
    return false;
  if (m.params === undefined) return true;
  if (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params)) return false;
  const meta = (m.params as { _meta?: unknown })._meta;
  if (meta === undefined) return true;
  return typeof meta === 'object' && meta !== null && !(PROTOCOL_VERSION_META_KEY in meta);
}

/**
 * A modern tools/call of a tool that asks the client (`ask`) from a client
 * that did not declare that capability in the request's `_meta` is refused
 * before dispatch, as the 2026-07-28 HTTP binding says: 400 with -32021 and
 * the capability it needed. Undefined when the request may proceed.
 */
export function capabilityRefusal(mock: Mock, body: JSONRPCMessage): object | undefined {
  if (mock.spec.lenient || !('method' in body) || body.method !== 'tools/call' || !('id' in body))
    return undefined;
  const params = (body.params ?? {}) as { name?: unknown; _meta?: Record<string, unknown> };
  const kind = typeof params.name === 'string' ? mock.tools.get(params.name)?.ask : undefined;
  const caps = params._meta?.[CLIENT_CAPABILITIES_META_KEY] as Record<string, unknown> | undefined;
  if (!kind || caps?.[kind]) return undefined;
  const error = new MissingRequiredClientCapabilityError({ requiredCapabilities: { [kind]: {} } });
  return {
    jsonrpc: '2.0',
    id: body.id,
    error: { code: error.code, message: error.message, data: error.data },
  };
}
