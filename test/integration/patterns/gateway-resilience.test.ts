import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowUs } from '../../../harness/measure/clock.js';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import { alive, eventually } from '../../helpers/mocks.js';
import {
  type FleetHandle,
  fleetWithFile,
  type GatewayHandle,
  gatewayOn,
  MCP_HEADERS,
  rejection,
  textOf,
} from './gateway-setup.js';

/**
 * What the reference gateway does when downstream servers misbehave: a hung
 * server is answered within the per-call timeout, a dead one fails alone and
 * is reconnected, an expired HTTP session is re-initialized, a replica takes
 * over, a server down at start is tolerated, and a finished client session
 * releases everything it opened downstream.
 */

const tool = (server: string) => ({ name: 'q', result: { text: `from ${server}` } });
const RESILIENCE_FLEET: FleetInput = {
  seed: 3,
  // 2025-only: what is checked here (sessions expiring, sessions released) exists only in that era.
  servers: [
    { name: 'a', transport: 'http', era: 'legacy', tools: [tool('a')] },
    { name: 'b', transport: 'http', era: 'legacy', tools: [tool('b')] },
    { name: 'c', transport: 'stdio', era: 'legacy', tools: [tool('c')] },
    { name: 'd', transport: 'http', era: 'legacy', tools: [tool('d')] },
  ],
};
/** Long enough for a stdio mock to be spawned and initialized on a busy 2-core machine. */
const TIMEOUT_MS = 2000;

let f: FleetHandle;
let gw: GatewayHandle;
let client: Client;
const mock = (name: string) => f.fleet.mocks.get(name)!;
const call = (name: string) => client.callTool({ name, arguments: {} });

beforeAll(async () => {
  f = await fleetWithFile(RESILIENCE_FLEET);
  gw = await gatewayOn(f.fleet, f.file, { gateway: { timeoutMs: TIMEOUT_MS, replicas: { ab: ['a', 'b'] } } });
  client = await gw.connect();
  expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['ab__q', 'c__q', 'd__q']);
});
afterAll(async () => {
  await gw?.stop();
  await f?.stop();
});

describe('timeouts', () => {
  it('answers a call to a hung server with -32001 within the timeout, while others keep working', async () => {
    await mock('d').addFault({ id: 'hang', type: 'hang' });
    try {
      const t0 = Date.now();
      const hung = rejection(call('d__q'));
      expect(textOf(await call('c__q'))).toBe('from c');
      const err = await hung;
      const elapsed = Date.now() - t0;
      expect(err.code).toBe(-32001);
      expect(err.message).toContain('d/q');
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 700);
    } finally {
      await mock('d').removeFault('hang');
    }
  });

  it('lists what the others offer when one server hangs on tools/list', async () => {
    // (a mock's hang fault covers tools/call only: a dribbled answer hangs a list)
    await mock('d').addFault({
      id: 'hang-list',
      type: 'slow-stream',
      methods: ['tools/list'],
      chunkBytes: 1,
      intervalMs: 500,
    });
    try {
      const t0 = Date.now();
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['ab__q', 'c__q']);
      expect(Date.now() - t0).toBeLessThan(TIMEOUT_MS + 700);
    } finally {
      await mock('d').removeFault('hang-list');
    }
  });
});

describe('dead servers and reconnection', () => {
  it('a dead HTTP server fails alone with a clear error, and is reconnected once it is back', async () => {
    await mock('d').kill();
    try {
      const err = await rejection(call('d__q'));
      expect(err.code).toBe(-32000);
      expect(err.message).toMatch(/^d\/q: .*connection refused/);
      expect(textOf(await call('c__q'))).toBe('from c');
      expect(textOf(await call('ab__q'))).toBe('from a');
    } finally {
      await mock('d').restart();
    }
    expect(textOf(await call('d__q'))).toBe('from d');
  });

  it('respawns a stdio server whose process exited', async () => {
    await mock('c').addFault({ id: 'crash', type: 'crash' });
    const err = await rejection(call('c__q'));
    expect(err.code).toBe(-32000);
    expect(err.message).toContain('c/q');
    await mock('c').removeFault('crash');
    expect(textOf(await call('c__q'))).toBe('from c');
    const instances = new Set((await mock('c').calls({ method: 'tools/call' })).map((r) => r.instance));
    expect(instances.size).toBeGreaterThanOrEqual(2);
  });

  it('re-initializes and retries once when an HTTP server answers 404 (session expired)', async () => {
    const before = (await mock('d').calls({ method: 'initialize' })).length;
    await mock('d').addFault({ type: 'http-status', status: 404, for: 1 });
    expect(textOf(await call('d__q'))).toBe('from d');
    expect((await mock('d').calls({ method: 'initialize' })).length).toBe(before + 1);
  });

  it('fails over to the next replica when the first crashes during the call', async () => {
    await mock('a').addFault({ id: 'crash', type: 'crash' });
    try {
      expect(textOf(await call('ab__q'))).toBe('from b');
    } finally {
      await mock('a').removeFault('crash');
      await mock('a').restart();
    }
  });

  it('fails over to the next replica when one is down', async () => {
    await mock('a').kill();
    try {
      expect(textOf(await call('ab__q'))).toBe('from b');
      expect(textOf(await call('ab__q'))).toBe('from b');
    } finally {
      await mock('a').restart();
    }
  });
});

describe('start and end of sessions', () => {
  it('tolerates a server down at start: the others are served, its calls fail clearly, it joins later', async () => {
    await mock('d').kill();
    const g = await gatewayOn(f.fleet, f.file, { gateway: { timeoutMs: TIMEOUT_MS } });
    try {
      const c = await g.connect();
      let changed = 0;
      c.setNotificationHandler('notifications/tools/list_changed', () => {
        changed++;
      });
      expect((await c.listTools()).tools.map((t) => t.name)).toEqual(['a__q', 'b__q', 'c__q']);
      const err = await rejection(c.callTool({ name: 'd__q', arguments: {} }));
      expect(err.code).toBe(-32000);
      expect(err.message).toMatch(/^d\/q: .*connection refused/);
      await mock('d').restart();
      expect((await c.listTools()).tools.map((t) => t.name)).toContain('d__q');
      await eventually(() => changed > 0);
      expect(textOf(await c.callTool({ name: 'd__q', arguments: {} }))).toBe('from d');
    } finally {
      await mock('d').restart();
      await g.stop();
    }
  });

  it('releases downstream sessions and processes when the client session ends', async () => {
    const g = await gatewayOn(f.fleet, f.file);
    try {
      const since = nowUs();
      const c = await g.connect();
      await c.listTools();
      expect(g.gateway.downstreamConnections()).toBe(4);
      const pids = g.gateway.downstreamPids();
      expect(pids).toHaveLength(1);
      expect(alive(pids[0]!)).toBe(true);
      const [init] = await mock('a').calls({ method: 'initialize', since });
      const downstreamSession = init!.connection;
      await (c.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
      await eventually(() => g.gateway.sessions() === 0 && g.gateway.downstreamConnections() === 0);
      await eventually(() => !alive(pids[0]!), 5000);
      // The HTTP downstream session was deleted, not left to expire.
      const res = await fetch((f.fleet.mcpServers().mcpServers.a as { url: string }).url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, 'mcp-session-id': downstreamSession },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
      });
      expect(res.status).toBe(404);
      await res.body?.cancel();
    } finally {
      await g.stop();
    }
  });
});
