import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  type JSONRPCMessage,
  type Server,
} from '@modelcontextprotocol/server';
import { HarnessError } from '../../../harness/errors.js';

/**
 * The chain's upstream face over Streamable HTTP, both eras on one endpoint:
 * 2025-11-25 stateful (one SDK server and transport per Mcp-Session-Id,
 * created by an initialize request, removed on DELETE or close), 2026-07-28
 * stateless (a request carrying the per-request `_meta` envelope gets a
 * server of its own from the same builder). `close()` ends every session and socket.
 */
export interface HttpFace {
  url: string;
  close(): Promise<void>;
}

interface Session {
  server: Server;
  transport: NodeStreamableHTTPServerTransport;
}

export async function serveHttp(build: () => Server, port: number, path = '/mcp'): Promise<HttpFace> {
  const sessions = new Map<string, Session>();
  const sockets = new Set<Socket>();
  const modern = createMcpHandler(() => build(), { legacy: 'reject' });
  const serveModern = toNodeHandler(modern);
  const isModern = async (req: IncomingMessage, body: unknown) =>
    !(await isLegacyRequest(await toWebRequest(req, body), body));

  const open = async (): Promise<Session> => {
    const server = build();
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, session),
    });
    const session: Session = { server, transport };
    await server.connect(transport);
    const prev = transport.onclose;
    transport.onclose = () => {
      prev?.();
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    return session;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string | undefined) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== path)
      return sendJson(res, 404, { error: `no MCP endpoint at ${req.url}` });
    let body: JSONRPCMessage | undefined;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(raw ?? '') as JSONRPCMessage;
      } catch {
        return rpcError(res, 400, -32700, 'Parse error');
      }
    }
    const sid = req.headers['mcp-session-id'];
    let session: Session | undefined;
    if (typeof sid === 'string') {
      session = sessions.get(sid);
      if (!session) return rpcError(res, 404, -32001, 'Session not found');
    } else if (req.method === 'POST' && (await isModern(req, body))) {
      return serveModern(req, res, body);
    } else if (req.method === 'POST' && body && isInitializeRequest(body)) {
      session = await open();
    } else if (req.method === 'POST') {
      return rpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    } else {
      return rpcError(res, 405, -32000, 'Method not allowed');
    }
    await session.transport.handleRequest(req, res, body);
  };

  const http = createServer((req, res) => {
    const fail = (e: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: e.message });
      else res.destroy();
    };
    if (req.method !== 'POST') return void handle(req, res, undefined).catch(fail);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(fail));
  });
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const bound = await new Promise<number>((resolve, reject) => {
    http.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new HarnessError('PORT_IN_USE', `chain: port ${port} is in use`, { cause: e })
          : e,
      ),
    );
    http.listen(port, '127.0.0.1', () => {
      const addr = http.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${bound}${path}`,
    close() {
      closing ??= (async () => {
        const all = [...sessions.values()];
        sessions.clear();
        await Promise.allSettled([...all.map((s) => s.server.close()), modern.close()]);
        const closed = new Promise<void>((r) => http.close(() => r()));
        for (const s of sockets) s.destroy();
        await closed;
      })();
      return closing;
    },
  };
}

function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
