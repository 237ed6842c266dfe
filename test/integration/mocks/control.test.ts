import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { alive, connectTo, eventually, startFleet } from '../../helpers/mocks.js';

/**
 * The control API over real HTTP, as a scenario step or a human with curl
 * uses it: faults in and out, the call log, tools, kill/restart, reset; for
 * in-process mocks and for stdio mocks living in a SUT's child process.
 */

const ping = { name: 'ping', result: { text: 'pong {{args.n}}' } };
const other = { name: 'other', result: { text: 'other' } };

let fleet: Fleet;
let dir: string;
const clients: Client[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-control-'));
  fleet = await startFleet({
    servers: [
      { name: 'web', transport: 'http', tools: [ping, other] },
      { name: 'legacy', transport: 'sse', tools: [ping] },
      { name: 'pipe', transport: 'stdio', tools: [ping, other] },
    ],
  });
  await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
});

afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await api('POST', '/reset');
});

afterAll(async () => {
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function connect(name: string): Promise<Client> {
  const client = await connectTo(fleet, name);
  clients.push(client);
  return client;
}

interface Reply<T> {
  status: number;
  body: T;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of the control API
async function api<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${fleet.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const text = (r: { content?: unknown }) => ((r.content as Array<{ text?: string }>)[0]?.text ?? '') as string;

describe('mocks', () => {
  it('lists every mock with its transport, status, endpoint and faults', async () => {
    const { status, body } = await api('GET', '/mocks');
    expect(status).toBe(200);
    expect(body.map((m: { name: string }) => m.name)).toEqual(['web', 'legacy', 'pipe']);
    const [web, legacy, pipe] = body;
    expect(web).toMatchObject({ name: 'web', transport: 'http', status: 'up', instances: 1, faults: [] });
    expect(web.endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(legacy).toMatchObject({ transport: 'sse', status: 'up' });
    expect(legacy.endpoint.url).toMatch(/\/sse$/);
    // Nobody has spawned the stdio mock yet.
    expect(pipe).toMatchObject({ transport: 'stdio', status: 'idle', instances: 0 });
    expect((await api('GET', '/mocks/web')).body).toEqual(web);
  });

  it('answers 404 for an unknown mock on every route', async () => {
    for (const [method, path, body] of [
      ['GET', '/mocks/nope'],
      ['GET', '/mocks/nope/faults'],
      ['POST', '/mocks/nope/faults', { type: 'hang' }],
      ['DELETE', '/mocks/nope/faults/x'],
      ['GET', '/mocks/nope/calls'],
      ['POST', '/mocks/nope/kill'],
      ['POST', '/mocks/nope/tools', { name: 't' }],
    ] as const) {
      const r = await api(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error).toContain("'nope'");
      expect(r.body.mocks).toEqual(['web', 'legacy', 'pipe']);
    }
  });
});

describe('faults', () => {
  it('adds a fault (201 + id) that takes effect on the next call, then removes it', async () => {
    const client = await connect('web');
    expect(text(await client.callTool({ name: 'ping', arguments: { n: 1 } }))).toBe('pong 1');

    const added = await api('POST', '/mocks/web/faults', {
      type: 'tool-error',
      message: 'boom',
      tools: ['ping'],
    });
    expect(added.status).toBe(201);
    const id = added.body.id as string;
    expect(id).toMatch(/^tool-error-\d+$/);
    expect(added.body.faults).toEqual([expect.objectContaining({ id, type: 'tool-error', message: 'boom' })]);
    expect((await api('GET', '/mocks/web/faults')).body).toEqual([
      expect.objectContaining({ id, tools: ['ping'] }),
    ]);

    const failed = await client.callTool({ name: 'ping', arguments: { n: 2 } });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toBe('boom (web.ping)');
    // The selector limits it to ping.
    expect(text(await client.callTool({ name: 'other', arguments: {} }))).toBe('other');
    const [record] = (await api<CallRecord[]>('GET', '/mocks/web/calls?tool=ping')).body.slice(-1);
    expect(record).toMatchObject({ outcome: 'isError', faults: [id] });
    expect((await api('GET', '/mocks/web/faults')).body[0].applied).toBe(1);

    const removed = await api('DELETE', `/mocks/web/faults/${id}`);
    expect(removed).toEqual({ status: 200, body: { faults: [] } });
    expect(text(await client.callTool({ name: 'ping', arguments: { n: 3 } }))).toBe('pong 3');
    expect((await api('DELETE', `/mocks/web/faults/${id}`)).status).toBe(404);
  });

  it('names faults by the given id, refuses a duplicate, and clears them all with DELETE', async () => {
    const client = await connect('web');
    expect(
      (
        await api('POST', '/mocks/web/faults', {
          id: 'rpc',
          type: 'protocol-error',
          code: -32000,
          message: 'down',
        })
      ).body.id,
    ).toBe('rpc');
    const dup = await api('POST', '/mocks/web/faults', { id: 'rpc', type: 'hang' });
    expect(dup.status).toBe(400);
    expect(dup.body.error).toContain("'rpc'");
    await expect(client.callTool({ name: 'ping', arguments: {} })).rejects.toMatchObject({
      code: -32000,
      message: expect.stringContaining('down'),
    });

    expect((await api('POST', '/mocks/web/faults', { type: 'latency', ms: 1 })).status).toBe(201);
    expect((await api('GET', '/mocks/web')).body.faults).toHaveLength(2);
    expect(await api('DELETE', '/mocks/web/faults')).toEqual({ status: 200, body: { faults: [] } });
    expect((await api('GET', '/mocks/web/faults')).body).toEqual([]);
    expect(text(await client.callTool({ name: 'ping', arguments: { n: 4 } }))).toBe('pong 4');
  });

  it('rejects an invalid fault with 400 listing every problem with its path', async () => {
    const bad = await api('POST', '/mocks/web/faults', {
      type: 'latency',
      ms: -5,
      probability: 2,
      tools: [],
      after: 1.5,
      color: 'red',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_CONFIG');
    const paths = (bad.body.problems as Array<{ path: string; message: string }>).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['ms', 'probability', 'tools', 'after', '']));
    for (const p of bad.body.problems) expect(p.message).toEqual(expect.any(String));
    expect(bad.body.problems.find((p: { path: string }) => p.path === '').message).toContain('color');

    const both = await api('POST', '/mocks/web/faults', {
      type: 'latency',
      ms: 5,
      distribution: { kind: 'fixed', ms: 5 },
    });
    expect(both.status).toBe(400);
    expect(both.body.problems[0].message).toContain('exactly one');

    const unknown = await api('POST', '/mocks/web/faults', { type: 'gremlins' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems.map((p: { path: string }) => p.path)).toEqual(['type']);

    // Nothing was installed.
    expect((await api('GET', '/mocks/web/faults')).body).toEqual([]);
  });
});

describe('call log', () => {
  it('filters calls by tool, method and since, and clears them', async () => {
    const client = await connect('web');
    await client.listTools();
    await client.callTool({ name: 'ping', arguments: { n: 1 } });
    await client.callTool({ name: 'other', arguments: {} });
    await client.callTool({ name: 'ping', arguments: { n: 2 } });

    const all = (await api<CallRecord[]>('GET', '/mocks/web/calls')).body;
    expect(all.map((r) => r.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/list',
      'tools/call',
      'tools/call',
      'tools/call',
    ]);
    expect(all.map((r) => r.seq)).toEqual([...all.map((r) => r.seq)].sort((a, b) => a - b));

    const pings = (await api<CallRecord[]>('GET', '/mocks/web/calls?tool=ping')).body;
    expect(pings.map((r) => r.arguments)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await api<CallRecord[]>('GET', '/mocks/web/calls?method=tools/list')).body).toHaveLength(1);
    expect(
      (
        await api<CallRecord[]>(
          'GET',
          `/mocks/web/calls?method=${encodeURIComponent('tools/call')}&tool=other`,
        )
      ).body,
    ).toHaveLength(1);

    const since = all[4]!.receivedUs;
    const later = (await api<CallRecord[]>('GET', `/mocks/web/calls?since=${since}`)).body;
    expect(later.map((r) => r.tool)).toEqual(['other', 'ping']);
    expect(
      (await api<CallRecord[]>('GET', `/mocks/web/calls?since=${since}&tool=ping`)).body.map(
        (r) => r.arguments,
      ),
    ).toEqual([{ n: 2 }]);

    expect((await api('DELETE', '/mocks/web/calls')).status).toBe(200);
    expect((await api('GET', '/mocks/web/calls')).body).toEqual([]);
  });

  it('POST /reset clears the faults and call logs of every mock', async () => {
    const client = await connect('web');
    await client.callTool({ name: 'ping', arguments: {} });
    await api('POST', '/mocks/web/faults', { type: 'latency', ms: 1 });
    await api('POST', '/mocks/legacy/faults', { type: 'hang' });
    expect((await api('GET', '/mocks/web/calls')).body.length).toBeGreaterThan(0);
    expect(await api('POST', '/reset')).toEqual({ status: 200, body: {} });
    for (const m of ['web', 'legacy']) {
      expect((await api('GET', `/mocks/${m}/faults`)).body).toEqual([]);
      expect((await api('GET', `/mocks/${m}/calls`)).body).toEqual([]);
    }
  });
});

describe('tools', () => {
  it('adds and removes a tool at run time (201, 404 when absent, 400 when invalid)', async () => {
    const client = await connect('web');
    const added = await api('POST', '/mocks/web/tools', {
      name: 'fresh',
      result: { text: 'fresh {{args.v}}' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'fresh', inputSchema: { type: 'object' } });
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('fresh');
    expect(text(await client.callTool({ name: 'fresh', arguments: { v: 'x' } }))).toBe('fresh x');

    expect((await api('DELETE', '/mocks/web/tools/fresh')).status).toBe(200);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['ping', 'other']);
    expect((await api('DELETE', '/mocks/web/tools/fresh')).status).toBe(404);

    const invalid = await api('POST', '/mocks/web/tools', { name: 'has space', result: { bogus: 1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining(['name', 'result']),
    );
  });
});

describe('kill and restart', () => {
  it.each(['web', 'legacy'])(
    '%s: kill refuses connections, restart serves again on the same URL',
    async (name) => {
      const url = (await api('GET', `/mocks/${name}`)).body.endpoint.url as string;
      const client = await connect(name);
      expect(text(await client.callTool({ name: 'ping', arguments: { n: 1 } }))).toBe('pong 1');

      const killed = await api('POST', `/mocks/${name}/kill`);
      expect(killed.body).toMatchObject({ status: 'crashed', instances: 0 });
      await expect(client.callTool({ name: 'ping', arguments: {} }, { timeout: 5_000 })).rejects.toThrow();
      const refused = await fetch(url, { method: 'POST', body: '{}' }).then(
        () => undefined,
        (e: Error & { cause?: { code?: string } }) => e.cause?.code,
      );
      expect(refused).toBe('ECONNREFUSED');

      const restarted = await api('POST', `/mocks/${name}/restart`);
      expect(restarted.body).toMatchObject({ status: 'up', instances: 1, endpoint: { url } });
      const again = await connect(name);
      expect(text(await again.callTool({ name: 'ping', arguments: { n: 2 } }))).toBe('pong 2');
      const outcomes = (await api<CallRecord[]>('GET', `/mocks/${name}/calls?tool=ping`)).body.map(
        (r) => r.outcome,
      );
      expect(outcomes[0]).toBe('result');
      expect(outcomes.at(-1)).toBe('result');
    },
  );
});

describe('stdio mocks through the control API', () => {
  it('counts the spawned instance and applies faults inside the child', async () => {
    expect((await api('GET', '/mocks/pipe')).body.instances).toBe(0);
    const client = await connect('pipe');
    const pid = (client.transport as StdioClientTransport).pid!;
    await eventually(async () => (await api('GET', '/mocks/pipe')).body.instances === 1);
    expect((await api('GET', '/mocks/pipe')).body.status).toBe('up');
    expect(text(await client.callTool({ name: 'ping', arguments: { n: 1 } }))).toBe('pong 1');

    const { body } = await api('POST', '/mocks/pipe/faults', {
      type: 'tool-error',
      message: 'child says no',
      tools: ['ping'],
    });
    const failed = await client.callTool({ name: 'ping', arguments: { n: 2 } });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toBe('child says no (pipe.ping)');
    expect(text(await client.callTool({ name: 'other', arguments: {} }))).toBe('other');

    const records = (await eventually(async () => {
      const r = (await api<CallRecord[]>('GET', '/mocks/pipe/calls?tool=ping')).body;
      return r.length === 2 && r.every((x) => x.outcome !== 'pending') ? r : undefined;
    }))!;
    expect(records.map((r) => [r.outcome, r.faults])).toEqual([
      ['result', []],
      ['isError', [body.id]],
    ]);
    expect(records.every((r) => r.connection === `pid${pid}`)).toBe(true);

    expect((await api('DELETE', `/mocks/pipe/faults/${body.id}`)).status).toBe(200);
    expect(text(await client.callTool({ name: 'ping', arguments: { n: 3 } }))).toBe('pong 3');

    // Tools added through the API appear in the child and notify its client.
    expect((await api('POST', '/mocks/pipe/tools', { name: 'fresh' })).status).toBe(201);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['ping', 'other', 'fresh']);
    expect((await api('DELETE', '/mocks/pipe/tools/fresh')).status).toBe(200);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['ping', 'other']);

    await client.close();
    await eventually(() => !alive(pid));
    await eventually(async () => (await api('GET', '/mocks/pipe')).body.instances === 0);
    expect((await api('GET', '/mocks/pipe')).body.status).toBe('idle');
  });

  it('a fault installed before the spawn applies from the first call; kill ends the child', async () => {
    await api('POST', '/mocks/pipe/faults', {
      id: 'early',
      type: 'protocol-error',
      code: -32050,
      message: 'not today',
    });
    const client = await connect('pipe');
    const pid = (client.transport as StdioClientTransport).pid!;
    await expect(client.callTool({ name: 'ping', arguments: {} })).rejects.toMatchObject({ code: -32050 });

    const closed = new Promise<void>((resolve) => {
      client.onclose = () => resolve();
    });
    const killed = await api('POST', '/mocks/pipe/kill');
    expect(killed.status).toBe(200);
    await eventually(() => !alive(pid));
    await closed;
    await expect(client.callTool({ name: 'ping', arguments: {} }, { timeout: 2_000 })).rejects.toThrow();
    // The dead child's records stay readable.
    const records = (await api<CallRecord[]>('GET', '/mocks/pipe/calls?tool=ping')).body.filter(
      (r) => r.connection === `pid${pid}`,
    );
    expect(records).toEqual([
      expect.objectContaining({ outcome: 'error', errorCode: -32050, faults: ['early'] }),
    ]);
  });
});
