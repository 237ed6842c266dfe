import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { localhostHostValidation, localhostOriginValidation } from '@modelcontextprotocol/node';
import { HarnessError } from '../../harness/errors.js';
import type { Mock, MockEndpoint, MockHost } from '../server/mock.js';

/** Handles one HTTP request; `body` is the raw text of a POST (undefined otherwise). */
export type HttpHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string | undefined,
  url: URL,
) => Promise<void>;

const MAX_BODY = 64 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const validHost = localhostHostValidation();
const validOrigin = localhostOriginValidation();
/** Host headers already found valid: a client sends the same one on every request, so it is parsed once. */
const knownHosts = new Set<string>();

/** The SDK's DNS-rebinding guards (403 on a foreign Host or Origin), with valid Host values remembered. */
function guarded(req: IncomingMessage, res: ServerResponse): boolean {
  const host = req.headers.host;
  if (host === undefined || !knownHosts.has(host)) {
    if (!validHost(req, res)) return false;
    if (host !== undefined && knownHosts.size < 64) knownHosts.add(host);
  }
  return req.headers.origin === undefined || validOrigin(req, res);
}

/**
 * A Node HTTP server we own, so the listener can be closed and reopened on
 * the same port (crash, flap, restart) and every socket destroyed at once.
 * Plain node:http rather than fastify on the data path: the mock must control
 * the bytes on the wire, and a mock must cost the SUT as little as a bare SDK
 * server does (bench:mocks holds it to 90%). The control API uses fastify.
 */
export function createHttpHost(mock: Mock, port: number, path: string, handler: HttpHandler): MockHost {
  const sockets = new Set<Socket>();
  const listenHost = mock.spec.http.host ?? '127.0.0.1';
  let boundPort = port;
  // A mock on loopback refuses other Host/Origin headers (403), as SDK servers do against DNS rebinding.
  const loopback = LOOPBACK.has(listenHost);
  const server: HttpServer = createServer((req, res) => {
    if (loopback && !mock.spec.lenient && !guarded(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fail = (e: Error) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: e.message }));
      } else res.destroy();
    };
    if (req.method !== 'POST') return void handler(req, res, undefined, url).catch(fail);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => void handler(req, res, Buffer.concat(chunks).toString('utf8'), url).catch(fail));
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const s = server;
      const onError = (e: NodeJS.ErrnoException) => {
        s.off('listening', onListening);
        reject(
          e.code === 'EADDRINUSE'
            ? new HarnessError('PORT_IN_USE', `mock ${mock.name}: port ${p} is in use`, { cause: e })
            : e,
        );
      };
      const onListening = () => {
        s.off('error', onError);
        const addr = s.address();
        resolve(typeof addr === 'object' && addr ? addr.port : p);
      };
      s.once('error', onError);
      s.once('listening', onListening);
      s.listen(p, listenHost);
    });

  const goDown = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    sockets.clear();
    await closed;
  };

  return {
    async listen(): Promise<MockEndpoint> {
      boundPort = await listen(port);
      const url = `http://${urlHost(listenHost)}:${boundPort}${path}`;
      return { name: mock.name, transport: mock.transport, url };
    },
    goDown,
    async goUp() {
      if (!server.listening) await listen(boundPort);
    },
    async close() {
      await goDown();
    },
  };
}

/** The host part of a URL for a listen address: a wildcard is reached on loopback, IPv6 goes in brackets. */
export function urlHost(listen: string): string {
  if (listen === '0.0.0.0') return '127.0.0.1';
  if (listen === '::') return '[::1]';
  return listen.includes(':') ? `[${listen}]` : listen;
}
