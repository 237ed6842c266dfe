import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import { ORIGIN_TAG_RE } from '../../../harness/schema/origin.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { alive, connectTo, eventually, startFleet } from '../../helpers/mocks.js';

/**
 * Every transport a mock speaks, driven by a real SDK client over real ports
 * and real child processes: the catalogue answers, the call log records what
 * the harness needs (methods, µs timestamps, headers, traceparent, session).
 */

const TOKEN = 'Bearer secret-token';
const greet = { name: 'greet', description: 'Say hello', result: { text: 'hello {{args.who}}' } };
const tools = [greet, { name: 'noop', result: { echo: true } }];

interface Case {
  name: string;
  transport: 'http' | 'sse' | 'stdio';
  http?: { stateless?: boolean; response?: 'sse' | 'json' };
  /** HTTP headers reach the mock (not stdio). */
  headers: boolean;
  /**
   * What the call log's `connection` is: the Mcp-Session-Id (stateful), a fresh id per
   * exchange (stateless), the legacy SSE session id (stream), or the child's pid (pipe).
   */
  session: 'stateful' | 'stateless' | 'stream' | 'pipe';
}

const CASES: Case[] = [
  { name: 'http-sse', transport: 'http', http: { response: 'sse' }, headers: true, session: 'stateful' },
  { name: 'http-json', transport: 'http', http: { response: 'json' }, headers: true, session: 'stateful' },
  {
    name: 'stateless-json',
    transport: 'http',
    http: { stateless: true, response: 'json' },
    headers: true,
    session: 'stateless',
  },
  {
    name: 'stateless-sse',
    transport: 'http',
    http: { stateless: true, response: 'sse' },
    headers: true,
    session: 'stateless',
  },
  { name: 'legacy-sse', transport: 'sse', headers: true, session: 'stream' },
  { name: 'pipe', transport: 'stdio', headers: false, session: 'pipe' },
];

let fleet: Fleet;
let dir: string;
let mcpServersFile: string;
const clients: Client[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-transports-'));
  fleet = await startFleet({
    servers: CASES.map((c) => ({
      name: c.name,
      transport: c.transport,
      ...(c.http ? { http: c.http } : {}),
      tools,
    })),
  });
  // stdio mocks are spawned from the mcpServers file (it also writes the fleet they read).
  mcpServersFile = await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
});

afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function connect(name: string): Promise<Client> {
  const client = await connectTo(fleet, name, { Authorization: TOKEN });
  clients.push(client);
  return client;
}

function traceparent(): string {
  const hex = (n: number) =>
    [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `00-${hex(16)}-${hex(8)}-01`;
}

/** The records of one mock once the tools/call has completed (stdio records arrive by push). */
async function completedLog(name: string, tp: string): Promise<CallRecord[]> {
  const log = await eventually(async () => {
    const all = await fleet.mocks.get(name)!.calls();
    const call = all.find((r) => r.method === 'tools/call' && r.traceparent === tp);
    return call && call.outcome !== 'pending' ? all : undefined;
  });
  return log!;
}

describe.each(CASES)('$name ($transport)', (c) => {
  it('serves the catalogue and a call to a real SDK client, and logs it all', async () => {
    const client = await connect(c.name);

    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name)).toEqual(['greet', 'noop']);
    for (const t of listed.tools) {
      // The origin tag names the fleet server and tool, so a gateway's renaming can be undone.
      const m = ORIGIN_TAG_RE.exec(t.description ?? '');
      expect(m?.slice(1)).toEqual([c.name, t.name]);
    }
    expect(listed.tools[0]?.description).toBe(`Say hello [origin:${c.name}/greet]`);

    const tp = traceparent();
    const result = await client.callTool({
      name: 'greet',
      arguments: { who: 'world' },
      _meta: { traceparent: tp },
    });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'hello world' }]);

    const log = await completedLog(c.name, tp);
    const methods = log.map((r) => r.method);
    expect(methods).toEqual(
      expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/list', 'tools/call']),
    );
    expect(methods.indexOf('initialize')).toBeLessThan(methods.indexOf('tools/call'));

    for (const r of log.filter((x) => x.kind === 'request')) {
      expect(r.mock).toBe(c.name);
      expect(r.outcome).toBe('result');
      for (const us of [r.receivedUs, r.firstByteUs, r.completedUs]) expect(Number.isInteger(us)).toBe(true);
      expect(r.receivedUs).toBeLessThanOrEqual(r.firstByteUs!);
      expect(r.firstByteUs!).toBeLessThanOrEqual(r.completedUs!);
    }
    // µs on the harness clock: within a minute of now.
    const nowUs = Date.now() * 1000;
    expect(Math.abs(log[0]!.receivedUs - nowUs)).toBeLessThan(60e6);

    const call = log.find((r) => r.method === 'tools/call' && r.traceparent === tp)!;
    expect(call).toMatchObject({
      kind: 'request',
      tool: 'greet',
      arguments: { who: 'world' },
      traceparent: tp,
      outcome: 'result',
    });
    expect(call.meta).toMatchObject({ traceparent: tp });

    if (c.headers) {
      // What a gateway forwards is what the mock saw: here, the client's credentials.
      for (const r of log) expect(r.headers?.authorization).toBe(TOKEN);
      expect(call.headers?.['content-type']).toContain('application/json');
    } else {
      for (const r of log) expect(r.headers).toBeUndefined();
    }

    const connections = new Set(log.map((r) => r.connection));
    switch (c.session) {
      case 'stateful': {
        const sid = (client.transport as StreamableHTTPClientTransport).sessionId;
        expect(sid).toMatch(/^[0-9a-f-]{36}$/);
        expect([...connections]).toEqual([sid]);
        expect(call.headers?.['mcp-session-id']).toBe(sid);
        break;
      }
      case 'stateless': {
        expect((client.transport as StreamableHTTPClientTransport).sessionId).toBeUndefined();
        // No session: every exchange is its own connection, none reused, no session header.
        expect(connections.size).toBe(log.length);
        for (const r of log) expect(r.headers?.['mcp-session-id']).toBeUndefined();
        break;
      }
      case 'stream':
        // The legacy SSE session id (from the endpoint event) ties every POST to one stream.
        expect(connections.size).toBe(1);
        expect([...connections][0]).toMatch(/^[0-9a-f-]{36}$/);
        break;
      case 'pipe': {
        const pid = (client.transport as StdioClientTransport).pid!;
        expect([...connections]).toEqual([`pid${pid}`]);
        expect(new Set(log.map((r) => r.instance)).size).toBe(1);
        break;
      }
    }
  });
});

describe('stdio mock processes', () => {
  it('exits once the client closes, and its call log stays with the harness', async () => {
    const client = await connect('pipe');
    const pid = (client.transport as StdioClientTransport).pid!;
    expect(alive(pid)).toBe(true);
    await eventually(() => fleet.mocks.get('pipe')!.instances() >= 1);
    const tp = traceparent();
    await client.callTool({ name: 'noop', arguments: { n: 1 }, _meta: { traceparent: tp } });
    await client.close();
    await eventually(() => !alive(pid));
    // The process is gone; its records were pushed to the harness before it exited.
    const calls = await fleet.mocks.get('pipe')!.calls({ tool: 'noop' });
    const mine = calls.filter((r) => r.connection === `pid${pid}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ traceparent: tp, arguments: { n: 1 }, outcome: 'result' });
    expect(mine[0]!.completedUs).toBeGreaterThanOrEqual(mine[0]!.receivedUs);
  });

  it('the call log of a stdio mock spawned by another process reaches the harness', async () => {
    // The SUT is a separate process that reads the mcpServers file and spawns
    // the mock itself, so the mock is a grandchild this test never touches.
    const tp = traceparent();
    const sut = join(import.meta.dirname, '../../fixtures/mocks/stdio-sut.mjs');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [sut, mcpServersFile, 'pipe', 'greet', JSON.stringify({ who: 'grandchild' }), tp],
      { timeout: 20_000, env: { PATH: process.env.PATH ?? '' } },
    );
    const out = JSON.parse(stdout) as { pid: number; tools: string[]; result: { content: unknown[] } };
    expect(out.tools).toEqual(['greet', 'noop']);
    expect(out.result.content).toEqual([{ type: 'text', text: 'hello grandchild' }]);
    await eventually(() => !alive(out.pid));

    const log = (await fleet.mocks.get('pipe')!.calls()).filter((r) => r.connection === `pid${out.pid}`);
    expect(log.map((r) => r.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/list',
      'tools/call',
    ]);
    const call = log.at(-1)!;
    expect(call).toMatchObject({
      mock: 'pipe',
      tool: 'greet',
      arguments: { who: 'grandchild' },
      traceparent: tp,
      outcome: 'result',
    });
    expect(call.receivedUs).toBeLessThanOrEqual(call.firstByteUs!);
    expect(call.firstByteUs!).toBeLessThanOrEqual(call.completedUs!);
    // Same clock across processes: the grandchild's timestamps are recent on ours.
    expect(Math.abs(call.receivedUs - Date.now() * 1000)).toBeLessThan(60e6);
    // The harness also reads it through the control API, like any other mock's.
    const viaApi = (await (
      await fetch(`${fleet.controlUrl}/mocks/pipe/calls?tool=greet`)
    ).json()) as CallRecord[];
    expect(viaApi.some((r) => r.traceparent === tp)).toBe(true);
  });
});
