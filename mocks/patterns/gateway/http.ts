import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/server';
import type { GatewayContext } from './context.js';
import { SessionEventStore } from './event-store.js';
import {
  hostAllowed,
  originAllowed,
  requestIdOf,
  rpcError,
  sendJson,
  unsupportedVersion,
} from './http-guard.js';
import { type ModernFace, modernFace } from './modern.js';
import { GatewaySession } from './session.js';

interface Entry {
  session: GatewaySession;
  transport: NodeStreamableHTTPServerTransport;
  /** HTTP requests of the session still open (a GET stream included). */
  open: number;
  idle?: NodeJS.Timeout;
}

/** Above this a request kills the gateway when the oversize-crash defect is on. */
const CRASH_BYTES = 1024 * 1024;

/**
 * Streamable HTTP upstream, both eras on one endpoint. 2026-07-28 requests
 * (a per-request `_meta` envelope) go to the stateless modern face
 * (modern.ts); 2025 ones to stateful sessions (one GatewaySession per
 * Mcp-Session-Id), Origin and Host validation (a foreign one is 403; no
 * Origin is fine), a body limit (413), 404 for an unknown session, 400 for an
 * unsupported MCP-Protocol-Version (error bodies keep the request's id),
 * resumable SSE streams, and DELETE or shutdown releasing everything the
 * session opened downstream.
 */
export async function serveHttp(
  gw: GatewayContext,
  host: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const { settings } = gw.config;
  const entries = new Map<string, Entry>();
  const sockets = new Set<Socket>();
  const modern: ModernFace = modernFace(gw);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path !== settings.path) return sendJson(res, 404, { error: `no MCP endpoint at ${path}` });
    // DEFECT error-id-null: every HTTP-level error says id null, even when the request's id was read.
    const idNull = gw.defects.has('error-id-null');
    const refuse = (status: number, code: number, message: string, id?: string | number) =>
      rpcError(res, status, code, message, idNull ? null : id);
    if (!gw.defects.has('no-origin-check') && !originAllowed(req.headers.origin, settings.allowedOrigins)) {
      return refuse(403, -32000, 'Forbidden: Origin not allowed');
    }
    if (!gw.defects.has('no-host-check') && !hostAllowed(req.headers.host, host, settings.allowedHosts)) {
      return refuse(403, -32000, `Forbidden: Host not allowed: ${req.headers.host ?? '(none)'}`);
    }
    let body: JSONRPCMessage | undefined;
    if (req.method === 'POST') {
      const raw = await readBody(req, settings.maxBodyBytes, gw);
      if (raw === undefined) return refuse(413, -32600, 'Request body too large');
      try {
        body = JSON.parse(raw) as JSONRPCMessage;
      } catch {
        return refuse(400, -32700, 'Parse error');
      }
    }
    const id = requestIdOf(body);
    const sid = req.headers['mcp-session-id'];
    let entry: Entry | undefined;
    if (typeof sid === 'string') {
      entry = entries.get(sid);
      if (!entry) {
        if (gw.defects.has('session-not-validated')) return refuse(400, -32000, 'Bad Request', id);
        return refuse(404, -32001, 'Session not found', id);
      }
      const version = unsupportedVersion(req);
      if (version !== undefined)
        return refuse(400, -32000, `Bad Request: Unsupported protocol version: ${version}`, id);
    } else if (req.method === 'POST' && !(await modern.isLegacy(req, body))) {
      // 2026-07-28: no session; any request is answered on its own (modern.ts).
      return modern.handle(req, res, body);
    } else if (req.method === 'POST' && body && isInitializeRequest(body)) {
      entry = await open(req);
    } else {
      return req.method === 'POST'
        ? refuse(400, -32000, 'Bad Request: Mcp-Session-Id header is required', id)
        : refuse(405, -32000, 'Method not allowed');
    }
    track(entry, res);
    await entry.transport.handleRequest(req, res, body);
  };

  /**
   * A session whose client went away without DELETE (no request in flight, no
   * stream open for idleSessionMs) is ended as if deleted. DEFECT
   * idle-sessions-kept: it is kept until the gateway exits.
   */
  const track = (entry: Entry, res: ServerResponse) => {
    clearTimeout(entry.idle);
    entry.open++;
    res.on('close', () => {
      entry.open--;
      if (entry.open > 0 || settings.idleSessionMs === 0 || gw.defects.has('idle-sessions-kept')) return;
      entry.idle = setTimeout(() => {
        if (entry.open > 0) return;
        entry.session.expired = true;
        gw.log(`session ${entry.transport.sessionId}: idle for ${settings.idleSessionMs} ms, ended`);
        void entry.transport.close().catch(() => {});
      }, settings.idleSessionMs);
      entry.idle.unref();
    });
  };

  const open = async (req: IncomingMessage): Promise<Entry> => {
    const auth: Record<string, string> = {};
    for (const h of ['authorization', 'cookie'] as const) {
      const v = req.headers[h];
      if (typeof v === 'string') auth[h] = v;
    }
    const session = new GatewaySession(gw, auth);
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // SSE events carry ids and can be resumed (DEFECT no-resume: ids, but no replay).
      eventStore: new SessionEventStore(gw.defects.has('no-resume')),
      onsessioninitialized: (id) => {
        entries.set(id, entry);
      },
    });
    const entry: Entry = { session, transport, open: 0 };
    session.onClosed = () => {
      clearTimeout(entry.idle);
      if (transport.sessionId) entries.delete(transport.sessionId);
    };
    await session.server.connect(transport);
    return entry;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      gw.log(`http: ${(err as Error)?.stack ?? err}`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}${settings.path}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        await Promise.all([...entries.values()].map((e) => e.transport.close().catch(() => {})));
        await modern.close();
        for (const s of sockets) s.destroy();
        await closed;
      })();
      return closing;
    },
  };
}

/** The body as text, or undefined when it exceeds `limit` (the connection is then closed). */
function readBody(req: IncomingMessage, limit: number, gw: GatewayContext): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > CRASH_BYTES && gw.defects.has('oversize-crash')) {
        gw.fatal(`request body over ${CRASH_BYTES} bytes`);
        return;
      }
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
