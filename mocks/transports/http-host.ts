import { createServer, type Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { HarnessError } from '../../harness/errors.js';
import type { Mock, MockEndpoint, MockHost } from '../server/mock.js';

/**
 * A fastify app on a Node HTTP server we own, so the listener can be closed
 * and reopened on the same port (crash, flap, restart) without rebuilding the
 * app, and every socket can be destroyed at once.
 */
export function createHttpHost(
  mock: Mock,
  port: number,
  path: string,
  install: (app: FastifyInstance) => void,
): MockHost {
  const sockets = new Set<Socket>();
  let server: HttpServer | undefined;
  let boundPort = port;
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024 * 1024,
    serverFactory: (handler) => {
      server = createServer((req, res) => handler(req, res));
      server.keepAliveTimeout = 5_000;
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      return server;
    },
  });
  // Keep the raw text: invalid JSON must reach our handler, not fastify's 400 page.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  install(app);

  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const s = server!;
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
      s.listen(p, '127.0.0.1');
    });

  const goDown = async () => {
    if (!server?.listening) return;
    const closed = new Promise<void>((r) => server!.close(() => r()));
    for (const s of sockets) s.destroy();
    sockets.clear();
    await closed;
  };

  return {
    async listen(): Promise<MockEndpoint> {
      await app.ready();
      boundPort = await listen(port);
      const url = `http://127.0.0.1:${boundPort}${path}`;
      return { name: mock.name, transport: mock.transport, url };
    },
    goDown,
    async goUp() {
      if (!server?.listening) await listen(boundPort);
    },
    async close() {
      await goDown();
      await app.close();
    },
  };
}
