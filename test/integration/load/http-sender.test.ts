import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSender } from '../../../harness/load/http-sender.js';

// The hot path's answer reading, against a real HTTP server on 127.0.0.1 whose answer depends on the path.
describe('load hot path: HttpSender', () => {
  let server: Server;
  let base: string;
  const answers: Record<string, (id: number, res: import('node:http').ServerResponse) => void> = {
    '/json': (id, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'hi' }] } }));
    },
    '/sse': (id, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // A priming event, a progress notification, then the answer split across writes.
      res.write('id: 1\ndata: \n\n');
      res.write(
        `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: {} })}\n\n`,
      );
      const answer = JSON.stringify({ jsonrpc: '2.0', id, result: { isError: true, content: [] } });
      res.write(`data: ${answer.slice(0, 10)}`);
      setTimeout(() => res.end(`${answer.slice(10)}\n\n`), 5);
    },
    '/sse-empty': (_id, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"jsonrpc":"2.0","id":-1,"result":{}}\n\n');
    },
    '/error': (id, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message: 'boom' } }));
    },
    '/503': (_id, res) => {
      res.writeHead(503);
      res.end('unavailable');
    },
    '/garbage': (_id, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jsonrpc":');
    },
    '/stall': () => {},
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => answers[req.url ?? '']?.(JSON.parse(body).id, res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const send = async (path: string, timeoutMs = 2000) => {
    const sender = new HttpSender(`${base}${path}`, {}, 2, timeoutMs);
    try {
      return await sender.send({ headers: sender.headersFor('s', '2025-11-25') }, 42, '{"id":42}');
    } finally {
      await sender.close();
    }
  };

  it('reads JSON and SSE answers (priming and notifications skipped), errors by kind', async () => {
    expect(await send('/json')).toEqual({ ok: true, result: { content: [{ type: 'text', text: 'hi' }] } });
    expect(await send('/sse')).toEqual({
      ok: false,
      kind: 'isError',
      result: { isError: true, content: [] },
    });
    expect(await send('/sse-empty')).toEqual({
      ok: false,
      kind: 'transport',
      detail: 'SSE stream ended without an answer',
    });
    expect(await send('/error')).toEqual({ ok: false, kind: 'jsonrpc', detail: '-32603', message: 'boom' });
    expect(await send('/503')).toEqual({ ok: false, kind: 'http', detail: '503' });
    expect(await send('/garbage')).toEqual({ ok: false, kind: 'transport', detail: 'malformed JSON answer' });
  });

  it('a server that never answers is a timeout at the deadline, not a hang', async () => {
    expect(await send('/stall', 300)).toEqual({ ok: false, kind: 'timeout' });
  });
});
