import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import { connectTo, eventually } from '../../helpers/mocks.js';
import { type GatewayRig, INITIALIZE, MCP_HEADERS, rejection, startRig, textOf } from './gateway-setup.js';

/**
 * The reference gateway's correct behaviour, observed through a real SDK
 * client upstream and the call logs of real mocks downstream: catalogue,
 * routing, pass-through, errors, notifications, sessions and HTTP rules.
 */

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const FLEET: FleetInput = {
  seed: 7,
  servers: [
    {
      name: 'search',
      transport: 'http',
      pageSize: 2,
      tools: [
        {
          name: 'query',
          title: 'Query',
          description: 'Search the index',
          inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
          outputSchema: { type: 'object', properties: { hits: { type: 'array' } } },
          annotations: { readOnlyHint: true, openWorldHint: false },
          result: { structuredContent: { hits: ['{{args.q}}'] } },
        },
        { name: 'echo', result: { echo: true } },
        { name: 'fail', result: { text: 'boom', isError: true } },
        {
          name: 'slow',
          progress: { steps: 3, intervalMs: 15 },
          logs: [{ level: 'info', data: 'working', logger: 'search' }],
          result: { text: 'done' },
        },
        { name: 'stuck' },
      ],
      resources: [{ uri: 'search://index', name: 'index', mimeType: 'text/plain', text: 'the index' }],
      resourceTemplates: [{ uriTemplate: 'search://doc/{id}', name: 'doc', text: 'doc {id}' }],
      prompts: [
        {
          name: 'summarize',
          arguments: [{ name: 'topic', required: true }],
          messages: [{ role: 'user', text: 'Summarize {{args.topic}}' }],
        },
      ],
    },
    {
      name: 'issues',
      transport: 'http',
      tools: [
        { name: 'query', result: { text: 'issues for {{args.q}}' } },
        { name: 'get', result: { text: 'issue {{args.id}}' } },
      ],
      resources: [{ uri: 'issues://labels', name: 'labels', text: '["bug"]' }],
      prompts: [{ name: 'triage', messages: [{ role: 'user', text: 'Triage it' }] }],
    },
    {
      name: 'chat',
      transport: 'stdio',
      tools: [{ name: 'post', result: { text: 'posted to {{args.channel}}' } }],
    },
    { name: 'code', transport: 'sse', tools: [{ name: 'find', result: { text: 'found {{args.q}}' } }] },
  ],
};

const EXPECTED_TOOLS = [
  'search__query',
  'search__echo',
  'search__fail',
  'search__slow',
  'search__stuck',
  'issues__query',
  'issues__get',
  'chat__post',
  'code__find',
];

let rig: GatewayRig;
let client: Client;

beforeAll(async () => {
  rig = await startRig(FLEET, { gateway: { pageSize: 3, timeoutMs: 5000 } });
  client = await rig.connect();
});
afterAll(async () => {
  await rig?.stop();
});

const mock = (name: string) => rig.fleet.mocks.get(name)!;
const lastCall = async (server: string, tool: string) => (await mock(server).calls({ tool })).at(-1)!;

describe('catalogue', () => {
  it('aggregates every page of every server under namespaced, valid names', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(EXPECTED_TOOLS);
    for (const t of tools) expect(t.name).toMatch(/^[A-Za-z0-9_.-]{1,128}$/);
  });

  it('paginates with its own opaque cursors and refuses a bad cursor with -32602', async () => {
    // The SDK's listTools() walks every page itself: ask for one page at a time.
    const first = await client.request({ method: 'tools/list', params: {} });
    expect(first.tools).toHaveLength(3);
    expect(first.nextCursor).toBeTypeOf('string');
    const names = first.tools.map((t) => t.name);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await client.request({ method: 'tools/list', params: { cursor } });
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
    }
    expect(names).toEqual(EXPECTED_TOOLS);
    expect((await rejection(client.listTools({ cursor: 'not-a-cursor' }))).code).toBe(-32602);
  });

  it('passes descriptions (origin tags), schemas and annotations through unchanged', async () => {
    const direct = await connectTo(rig.fleet, 'search');
    try {
      const { tools: original } = await direct.listTools();
      const { tools: exposed } = await client.listTools();
      for (const t of original) {
        expect(exposed.find((e) => e.name === `search__${t.name}`)).toEqual({
          ...t,
          name: `search__${t.name}`,
        });
      }
      expect(exposed.find((e) => e.name === 'search__query')?.description).toContain('[origin:search/query]');
    } finally {
      await direct.close();
    }
  });
});

describe('routing and pass-through', () => {
  it('routes calls by exposed name (HTTP, stdio, SSE); arguments and _meta (traceparent) arrive unchanged', async () => {
    const args = { q: 'x', n: 1, nested: { list: [1, 'two'] } };
    const result = await client.callTool({
      name: 'search__echo',
      arguments: args,
      _meta: { traceparent: TRACEPARENT, 'example.com/tenant': 't1' },
    });
    expect(result.structuredContent).toEqual(args);
    const call = await lastCall('search', 'echo');
    expect(call.arguments).toEqual(args);
    expect(call.traceparent).toBe(TRACEPARENT);
    expect(call.meta?.['example.com/tenant']).toBe('t1');
    expect(textOf(await client.callTool({ name: 'issues__query', arguments: { q: 'y' } }))).toBe(
      'issues for y',
    );
    expect(textOf(await client.callTool({ name: 'chat__post', arguments: { channel: 'ops' } }))).toBe(
      'posted to ops',
    );
    expect(textOf(await client.callTool({ name: 'code__find', arguments: { q: 'main' } }))).toBe(
      'found main',
    );
  });

  it('resources are aggregated and reads routed by URI (templates included)', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['issues://labels', 'search://index']);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['search://doc/{id}']);
    const labels = await client.readResource({ uri: 'issues://labels' });
    expect(labels.contents[0]).toMatchObject({ uri: 'issues://labels', text: '["bug"]' });
    const doc = await client.readResource({ uri: 'search://doc/42' });
    expect(doc.contents[0]).toMatchObject({ text: 'doc 42' });
    await expect(client.readResource({ uri: 'nowhere://x' })).rejects.toThrow(/not found/i);
  });

  it('prompts are namespaced like tools and routed', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['search__summarize', 'issues__triage']);
    const got = await client.getPrompt({ name: 'search__summarize', arguments: { topic: 'gateways' } });
    expect(got.messages[0]?.content).toMatchObject({ type: 'text', text: 'Summarize gateways' });
  });

  it('never forwards the upstream Authorization or Cookie header', async () => {
    const c = await rig.connect(undefined, { Authorization: 'Bearer upstream-secret', Cookie: 'sid=42' });
    await c.callTool({ name: 'search__echo', arguments: { who: 'auth' } });
    const call = await lastCall('search', 'echo');
    expect(call.arguments).toEqual({ who: 'auth' });
    expect(call.headers?.authorization).toBeUndefined();
    expect(call.headers?.cookie).toBeUndefined();
  });

  it('concurrent calls never get each other’s results', async () => {
    await mock('search').addFault({
      id: 'jitter',
      type: 'latency',
      tools: ['echo'],
      distribution: { kind: 'uniform', minMs: 0, maxMs: 30 },
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => client.callTool({ name: 'search__echo', arguments: { i } })),
      );
      expect(results.map((r) => r.structuredContent)).toEqual(results.map((_, i) => ({ i })));
    } finally {
      await mock('search').removeFault('jitter');
    }
  });

  it('answers ping', async () => {
    await expect(client.ping()).resolves.toBeDefined();
  });
});

describe('results and errors', () => {
  it('passes isError results through as isError results', async () => {
    const r = await client.callTool({ name: 'search__fail', arguments: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('boom');
  });

  it('keeps the code of a downstream JSON-RPC error and names server and tool, without internals', async () => {
    await mock('issues').addFault({
      id: 'quota',
      type: 'protocol-error',
      tools: ['get'],
      code: -32050,
      message: 'quota exceeded',
    });
    try {
      const err = await rejection(client.callTool({ name: 'issues__get', arguments: { id: 1 } }));
      expect(err.code).toBe(-32050);
      expect(err.message).toContain('issues/get');
      expect(err.message).toContain('quota exceeded');
      expect(err.message).not.toMatch(/\n\s+at |\/[\w.-]+\/[\w.-]+\.[cm]?[jt]s/);
    } finally {
      await mock('issues').removeFault('quota');
    }
  });

  it('answers an unknown tool with JSON-RPC -32602', async () => {
    const err = await rejection(client.callTool({ name: 'search__nope', arguments: {} }));
    expect(err.code).toBe(-32602);
  });
});

describe('notifications', () => {
  it('relays progress (monotonic, all before the result) and logging messages', async () => {
    const logs: unknown[] = [];
    const c = await rig.connect();
    c.setNotificationHandler('notifications/message', (n) => {
      logs.push(n.params.data);
    });
    const seen: number[] = [];
    let resolved = false;
    const result = await c.callTool(
      { name: 'search__slow', arguments: {} },
      {
        onprogress: (p) => {
          expect(resolved).toBe(false);
          seen.push(p.progress);
        },
      },
    );
    resolved = true;
    expect(textOf(result)).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
    expect(logs).toContain('working');
    const call = await lastCall('search', 'slow');
    expect(call.progressToken).toBeDefined();
  });

  it('relays cancellation downstream', async () => {
    await mock('search').addFault({ id: 'hang', type: 'hang', tools: ['stuck'] });
    try {
      const ac = new AbortController();
      const pending = client.callTool({ name: 'search__stuck', arguments: {} }, { signal: ac.signal });
      await eventually(async () => (await mock('search').calls({ tool: 'stuck' })).length > 0);
      ac.abort('user gave up');
      await expect(pending).rejects.toThrow();
      await eventually(async () => (await lastCall('search', 'stuck')).cancelled === true);
    } finally {
      await mock('search').removeFault('hang');
    }
  });

  it('relays tools/list_changed and lists the new tool', async () => {
    let changed = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      changed++;
    });
    await mock('issues').addTool({ name: 'close', description: 'Close an issue' });
    try {
      await eventually(() => changed > 0);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('issues__close');
    } finally {
      await mock('issues').removeTool('close');
    }
  });

  it('keeps each session’s notifications to itself', async () => {
    const a = await rig.connect();
    const b = await rig.connect();
    const toB: unknown[] = [];
    b.setNotificationHandler('notifications/message', (n) => {
      toB.push(n.params);
    });
    const toA: unknown[] = [];
    a.setNotificationHandler('notifications/message', (n) => {
      toA.push(n.params);
    });
    await a.callTool({ name: 'search__slow', arguments: {} }, { onprogress: () => {} });
    await eventually(() => toA.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(toB).toEqual([]);
  });
});

describe('sessions and HTTP', () => {
  it('refuses a foreign Origin with 403 and accepts none or a local one', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(rig.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, ...headers },
        body: JSON.stringify(INITIALIZE),
      });
    const foreign = await post({ origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    for (const headers of [{}, { origin: 'http://localhost:3000' }] as Array<Record<string, string>>) {
      const ok = await post(headers);
      expect(ok.status).toBe(200);
      const sid = ok.headers.get('mcp-session-id')!;
      await ok.body?.cancel();
      await fetch(rig.url, { method: 'DELETE', headers: { 'mcp-session-id': sid } });
    }
  });

  it('answers an unknown session id with 404', async () => {
    const res = await fetch(rig.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': 'no-such-session' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    expect(res.status).toBe(404);
    await res.body?.cancel();
  });
});
