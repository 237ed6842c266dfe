import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { alive, connectTo, eventually, startFleet } from '../../helpers/mocks.js';

/**
 * Legacy HTTP+SSE and stdio mocks are as strict as real servers: an SSE
 * connection that never sent `initialize` is refused (a JSON-RPC error on its
 * stream, the request id kept), a restart drops every open stream, and a killed
 * stdio mock stays dead until its parent (the client / gateway) spawns it again.
 */

const echo = { name: 'echo', result: { echo: true } };

let fleet: Fleet;
let dir: string;
const clients: Client[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-strict-'));
  fleet = await startFleet({
    servers: [
      { name: 'legacy', transport: 'sse', tools: [echo] },
      { name: 'legacy-loose', transport: 'sse', lenient: true, tools: [echo] },
      { name: 'pipe', transport: 'stdio', tools: [echo] },
    ],
  });
  await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const urlOf = (name: string) => new URL(fleet.mocks.get(name)!.endpoint()!.url!);

/** A raw SDK SSE client transport: messages in, nothing sent for us (no initialize). */
async function rawStream(name: string) {
  const transport = new SSEClientTransport(urlOf(name));
  const got: JSONRPCMessage[] = [];
  transport.onmessage = (m) => got.push(m);
  await transport.start();
  const answer = async (id: number) =>
    eventually(() => got.find((m) => 'id' in m && m.id === id && !('method' in m)), 5_000);
  return { transport, got, answer };
}

const INITIALIZE = {
  jsonrpc: '2.0' as const,
  id: 10,
  method: 'initialize',
  params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

describe('legacy SSE: no requests before initialize', () => {
  it('a request before initialize gets a JSON-RPC error with its id; ping is answered; after initialize it is served', async () => {
    const { transport, answer } = await rawStream('legacy');
    try {
      await transport.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      expect(await answer(1)).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32000, message: 'Bad Request: Server not initialized' },
      });
      await transport.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
      expect(await answer(2)).toMatchObject({ id: 2, result: {} });

      await transport.send(INITIALIZE);
      expect(await answer(10)).toMatchObject({ id: 10, result: { serverInfo: { name: 'legacy' } } });
      await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      await transport.send({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} });
      expect(await answer(3)).toMatchObject({ id: 3, result: { tools: [{ name: 'echo' }] } });

      // The refused request is in the call log as an error the mock never served.
      const refused = (await fleet.mocks.get('legacy')!.calls({ method: 'tools/list' }))[0];
      expect(refused).toMatchObject({ id: 1, outcome: 'error', errorCode: -32000, faults: [] });
    } finally {
      await transport.close();
    }
  });

  it('lenient: true serves a request before initialize (the old behaviour)', async () => {
    const { transport, answer } = await rawStream('legacy-loose');
    try {
      await transport.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      expect(await answer(1)).toMatchObject({ id: 1, result: { tools: [{ name: 'echo' }] } });
    } finally {
      await transport.close();
    }
  });
});

describe('legacy SSE: a restart drops every connection', () => {
  it('every open stream is cut, its session id answers 404, and its client is not served again', async () => {
    const a = await connectTo(fleet, 'legacy');
    const b = await connectTo(fleet, 'legacy');
    clients.push(a, b);
    const endpoint = (c: Client) => (c.transport as unknown as { _endpoint?: URL })._endpoint!;
    const old = [endpoint(a), endpoint(b)];
    const handle = fleet.mocks.get('legacy')!;
    const cut: string[] = [];
    for (const [i, c] of [a, b].entries()) c.onerror = () => cut.push(`client ${i}`);

    await handle.kill();
    await handle.restart();
    await eventually(() => cut.length >= 2, 5_000);
    for (const url of old) {
      const stale = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(stale.status).toBe(404);
    }
    // The SDK's EventSource may reconnect, but onto a new stream that never sent initialize.
    await expect(a.callTool({ name: 'echo', arguments: { n: 0 } }, { timeout: 3_000 })).rejects.toThrow();

    const fresh = await connectTo(fleet, 'legacy');
    clients.push(fresh);
    expect((await fresh.callTool({ name: 'echo', arguments: { n: 1 } })).structuredContent).toEqual({ n: 1 });
    const served = await handle.calls({ tool: 'echo' });
    expect(served.filter((r) => r.outcome === 'result').map((r) => r.arguments)).toEqual([{ n: 1 }]);
  });
});

describe('stdio: no requests before initialize', () => {
  it('a pipe that never sent initialize gets a JSON-RPC error with its id; after initialize it is served', async () => {
    const entry = fleet.mcpServers().mcpServers.pipe as {
      command: string;
      args: string[];
      env: Record<string, string>;
    };
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { ...process.env, ...entry.env } as Record<string, string>,
      stderr: 'pipe',
    });
    const got: JSONRPCMessage[] = [];
    transport.onmessage = (m) => got.push(m);
    const answer = (id: number) =>
      eventually(() => got.find((m) => 'id' in m && m.id === id && !('method' in m)), 10_000);
    await transport.start();
    try {
      await transport.send({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: {} },
      });
      expect(await answer(1)).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32000, message: 'Bad Request: Server not initialized' },
      });
      await transport.send(INITIALIZE);
      expect(await answer(10)).toMatchObject({ result: { serverInfo: { name: 'pipe' } } });
      await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      await transport.send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'echo', arguments: { n: 1 } },
      });
      expect(await answer(2)).toMatchObject({ result: { structuredContent: { n: 1 } } });
    } finally {
      await transport.close();
    }
  });
});

describe('stdio: a killed mock is gone until its parent spawns it again', () => {
  it('kill ends the child; restart through the control API spawns nothing; only a new client brings one', async () => {
    const api = (path: string, method = 'GET') =>
      fetch(`${fleet.controlUrl}${path}`, { method }).then(
        (r) => r.json() as Promise<Record<string, unknown>>,
      );
    const client = await connectTo(fleet, 'pipe');
    clients.push(client);
    const pid = (client.transport as StdioClientTransport).pid!;
    expect((await client.callTool({ name: 'echo', arguments: { n: 1 } })).structuredContent).toEqual({
      n: 1,
    });
    await eventually(async () => (await api('/mocks/pipe')).instances === 1);

    await api('/mocks/pipe/kill', 'POST');
    await eventually(() => !alive(pid), 5_000);
    expect(await api('/mocks/pipe/restart', 'POST')).toMatchObject({ status: 'idle', instances: 0 });
    // Nothing respawns it behind the client's back: still no instance a while later, and the call fails.
    await new Promise((r) => setTimeout(r, 500));
    expect(await api('/mocks/pipe')).toMatchObject({ status: 'idle', instances: 0 });
    await expect(
      client.callTool({ name: 'echo', arguments: { n: 2 } }, { timeout: 3_000 }),
    ).rejects.toThrow();

    const parent = await connectTo(fleet, 'pipe');
    clients.push(parent);
    expect((await parent.callTool({ name: 'echo', arguments: { n: 3 } })).structuredContent).toEqual({
      n: 3,
    });
    await eventually(async () => (await api('/mocks/pipe')).instances === 1);
  });
});
