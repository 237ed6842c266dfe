import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer, request } from 'node:http';
import type { Client } from '@modelcontextprotocol/client';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerSpecSchema } from '../../../harness/schema/fleet.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { hostFor } from '../../../mocks/server/hosts.js';
import { Mock } from '../../../mocks/server/mock.js';
import { connectTo, eventually, startFleet } from '../../helpers/mocks.js';

/**
 * A Streamable HTTP mock is as strict as a real SDK server: a restart loses
 * every session (the old Mcp-Session-Id gets 404), a request without a session
 * id or with one it never issued is refused with the SDK transport's own status
 * and JSON-RPC body. `lenient: true` keeps sessions across a restart.
 */

const echo = { name: 'echo', result: { echo: true } };
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};
const LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

let fleet: Fleet;
let sdk: HttpServer;
let sdkUrl: string;
const clients: Client[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    servers: [
      { name: 'strict', transport: 'http', http: { response: 'json' }, tools: [echo] },
      { name: 'loose', transport: 'http', http: { response: 'json' }, lenient: true, tools: [echo] },
      { name: 'streamed', transport: 'http', tools: [echo] },
    ],
  });
  // The yardstick: one session of the SDK's own server transport, as a real server runs it.
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse: true,
  });
  await new McpServer({ name: 'sdk', version: '1.0.0' }).connect(transport);
  sdk = createServer((req, res) => void transport.handleRequest(req, res));
  await new Promise<void>((r) => sdk.listen(0, '127.0.0.1', r));
  const addr = sdk.address();
  sdkUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/mcp`;
  await initialize(sdkUrl);
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await fleet?.stop();
  sdk?.closeAllConnections();
  await new Promise((r) => sdk?.close(r));
});

const urlOf = (name: string) => fleet.mocks.get(name)!.endpoint()!.url!;

interface Answer {
  status: number;
  body: unknown;
  sid: string | null;
}

/** One request on a fresh TCP connection (a restart destroys pooled sockets, as it would any client's). */
function send(url: string, method: string, body?: unknown, sid?: string): Promise<Answer> {
  const headers: Record<string, string> = { ...HEADERS, ...(sid ? { 'mcp-session-id': sid } : {}) };
  if (method === 'GET') headers.accept = 'text/event-stream';
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => {
        const sidOut = res.headers['mcp-session-id'];
        resolve({
          status: res.statusCode ?? 0,
          body: text ? JSON.parse(text) : undefined,
          sid: typeof sidOut === 'string' ? sidOut : null,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function initialize(url: string): Promise<string> {
  const a = await send(url, 'POST', INITIALIZE);
  expect(a.status).toBe(200);
  await send(url, 'POST', { jsonrpc: '2.0', method: 'notifications/initialized' }, a.sid!);
  return a.sid!;
}

async function restart(name: string) {
  const handle = fleet.mocks.get(name)!;
  await handle.kill();
  await handle.restart();
}

const notFound = { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null };

describe('streamable HTTP: refusals as the SDK server answers them', () => {
  it.each([
    ['POST tools/list without a session id', 'POST', LIST, undefined],
    ['POST tools/list on a session id never issued', 'POST', LIST, 'never-issued'],
    ['GET without a session id', 'GET', undefined, undefined],
    ['GET on a session id never issued', 'GET', undefined, 'never-issued'],
    ['DELETE without a session id', 'DELETE', undefined, undefined],
  ] as const)('%s: same status and JSON-RPC body as the SDK transport', async (_, method, body, sid) => {
    await initialize(urlOf('strict'));
    const want = await send(sdkUrl, method, body, sid);
    const got = await send(urlOf('strict'), method, body, sid);
    expect(want.status).toBeGreaterThanOrEqual(400);
    expect({ status: got.status, body: got.body }).toEqual({ status: want.status, body: want.body });
  });
});

describe('streamable HTTP: a restart loses every session', () => {
  it('the old Mcp-Session-Id gets 404 Session not found; a new initialize is served', async () => {
    const url = urlOf('strict');
    const sid = await initialize(url);
    expect((await send(url, 'POST', LIST, sid)).status).toBe(200);

    await restart('strict');
    expect(await send(url, 'POST', LIST, sid)).toMatchObject({ status: 404, body: notFound });
    expect(await send(url, 'GET', undefined, sid)).toMatchObject({ status: 404, body: notFound });
    expect(await send(url, 'DELETE', undefined, sid)).toMatchObject({ status: 404, body: notFound });

    const fresh = await initialize(url);
    expect(fresh).not.toBe(sid);
    expect(await send(url, 'POST', LIST, fresh)).toMatchObject({ status: 200 });
  });

  it('an SDK client connected before the restart is refused with 404, not served', async () => {
    const client = await connectTo(fleet, 'streamed');
    clients.push(client);
    expect((await client.callTool({ name: 'echo', arguments: { n: 1 } })).structuredContent).toEqual({
      n: 1,
    });
    await restart('streamed');
    // The first request may meet the socket the restart destroyed; the session itself must be gone.
    const after: string[] = [];
    for (let i = 0; i < 2; i++) {
      after.push(
        await client.callTool({ name: 'echo', arguments: { n: 2 } }, { timeout: 5_000 }).then(
          () => 'served',
          (e: Error) => e.message,
        ),
      );
    }
    expect(after).not.toContain('served');
    expect(after.some((m) => /404|Session not found/.test(m))).toBe(true);
    const calls = await fleet.mocks.get('streamed')!.calls({ tool: 'echo' });
    expect(calls.map((c) => c.arguments)).toEqual([{ n: 1 }]);
  });

  it('a flap (down, then up again) ends the sessions as a restart does', async () => {
    const url = urlOf('strict');
    const sid = await initialize(url);
    const handle = fleet.mocks.get('strict')!;
    const id = await handle.addFault({ type: 'flap', downMs: 200, upMs: 60_000, cycles: 1 });
    try {
      const after = await eventually(() => send(url, 'POST', LIST, sid), 3_000, 50);
      expect(after).toMatchObject({ status: 404, body: notFound });
    } finally {
      await handle.removeFault(id);
    }
  });

  it('lenient: true keeps the old session across the restart', async () => {
    const url = urlOf('loose');
    const sid = await initialize(url);
    await restart('loose');
    const again = await send(url, 'POST', LIST, sid);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ result: { tools: [{ name: 'echo' }] } });
  });
});

describe('streamable HTTP: an initialize the transport refuses leaves no session behind', () => {
  it('a refused initialize (406) leaves no connection on the mock', async () => {
    const mock = new Mock(
      ServerSpecSchema.parse({ name: 'bare', transport: 'http', tools: [echo] }),
      1,
      hostFor,
    );
    const { url } = await mock.start();
    try {
      const res = await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(INITIALIZE),
      });
      expect(res.status).toBe(406);
      expect(res.headers.get('mcp-session-id')).toBeNull();
      expect(mock.connections.size).toBe(0);
    } finally {
      await mock.stop();
    }
  });
});
