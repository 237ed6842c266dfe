import { ProtocolError } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../harness/target/launch.js';
import { type ChainHandle, startChain } from '../../../mocks/patterns/chain/index.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';
import {
  allCalls,
  CHAIN,
  callsOf,
  connectUpstream,
  FLEET,
  maxConcurrent,
  overlapped,
  resetFleet,
  structured,
  TRACEPARENT,
  textOf,
} from './chain-fixture.js';

/**
 * The reference chain server, correct behaviour: a real fleet of mocks
 * downstream, a real SDK client upstream, and the mocks' call logs as the
 * witness of what the chain did.
 */

let fleet: Fleet;
let chain: ChainHandle;
let client: Awaited<ReturnType<typeof connectUpstream>>;

beforeAll(async () => {
  fleet = await startFleet(FLEET);
  chain = await startChain({ mcpServers: fleet.mcpServers(), chain: CHAIN });
  client = await connectUpstream(chain.url!);
});
afterEach(async () => resetFleet(fleet));
afterAll(async () => {
  await client?.close();
  await chain?.close();
  await fleet?.stop();
});

describe('composite tools', () => {
  it('lists the composite tools with plain descriptions and their declared input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['triage', 'gather', 'tagged', 'args', 'quick']);
    const triage = tools.find((t) => t.name === 'triage')!;
    expect(triage.description).toBe('Read an issue, find its code, tell the channel');
    expect(triage.inputSchema.required).toEqual(['id', 'channel']);
    expect(tools.find((t) => t.name === 'gather')!.inputSchema).toEqual({ type: 'object' });
  });

  it('runs pipeline steps in order, each seeing the earlier results', async () => {
    const r = await client.callTool({ name: 'triage', arguments: { id: 42, channel: 'dev' } });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toBe('done: posted to #dev');
    expect(structured(r)?.completedSteps).toEqual(['issue', 'code', 'notify']);
    const calls = await allCalls(fleet);
    expect(calls.map((c) => `${c.mock}.${c.tool}`)).toEqual([
      'tracker.get_issue',
      'repo.search_code',
      'chat.post_message',
    ]);
    // Each step starts only after the one before it has completed.
    for (let i = 1; i < calls.length; i++)
      expect(calls[i]!.receivedUs).toBeGreaterThanOrEqual(calls[i - 1]!.completedUs!);
    expect(calls.map((c) => c.arguments)).toEqual([
      { id: 42 },
      { query: 'config' },
      { channel: 'dev', text: 'Crash on start: src/config/parse.ts:12' },
    ]);
  });

  it('passes arguments exactly as templated: types kept, missing values dropped, no extra keys', async () => {
    await client.callTool({ name: 'args', arguments: { n: 7, obj: { k: 'v' } } });
    const [a, b] = await allCalls(fleet);
    expect(a!.arguments).toEqual({ n: 7, s: 'id-7', obj: { k: 'v' }, fixed: [1, 'x'] });
    expect(b!.arguments).toEqual({ n: 7 });
  });

  it('runs fan-out branches concurrently and aggregates their results', async () => {
    for (const s of ['tracker', 'repo', 'chat'])
      await fleet.mocks.get(s)!.addFault({ type: 'latency', ms: 150 });
    const r = await client.callTool({ name: 'gather', arguments: { q: 'crash' } });
    expect(r.isError).toBeFalsy();
    expect(Object.keys(structured(r)!.results as object).sort()).toEqual(['c', 'r', 't']);
    expect(structured(r)!.failed).toBeUndefined();
    const calls = await allCalls(fleet);
    expect(calls).toHaveLength(3);
    // The three 150 ms branches were in flight at once (from the mocks' own records, not a wall clock).
    expect(overlapped(calls)).toBe(true);
  });

  it('keeps partial fan-out results and lists the failed branch', async () => {
    await fleet.mocks.get('repo')!.addFault({ type: 'tool-error', message: 'index unavailable' });
    const r = await client.callTool({ name: 'gather', arguments: { q: 'crash' } });
    expect(r.isError).toBeFalsy();
    const s = structured(r)!;
    expect(Object.keys(s.results as object).sort()).toEqual(['c', 't']);
    expect(s.failed).toEqual([
      { step: 'r', server: 'repo', tool: 'echo', kind: 'tool-error', error: 'index unavailable (repo.echo)' },
    ]);
    expect(textOf(r)).toContain(
      'step "r" (server "repo", tool "echo") failed: index unavailable (repo.echo)',
    );
  });

  it('answers isError when every fan-out branch failed', async () => {
    for (const s of ['tracker', 'repo', 'chat'])
      await fleet.mocks.get(s)!.addFault({ type: 'protocol-error', code: -32603, message: `${s} down` });
    const r = await client.callTool({ name: 'gather', arguments: { q: 'x' } });
    expect(r.isError).toBe(true);
    expect(structured(r)!.results).toEqual({});
    expect((structured(r)!.failed as unknown[]).length).toBe(3);
  });
});

describe('failures', () => {
  it('short-circuits a pipeline: no later step is called, the error names step, server and tool', async () => {
    await fleet.mocks
      .get('repo')!
      .addFault({ type: 'protocol-error', code: -32603, message: 'index corrupt' });
    const r = await client.callTool({ name: 'triage', arguments: { id: 1, channel: 'dev' } });
    expect(r.isError).toBe(true);
    expect(structured(r)).toEqual({
      failedStep: 'code',
      server: 'repo',
      tool: 'search_code',
      kind: 'protocol-error',
      error: 'JSON-RPC error -32603: index corrupt',
      completedSteps: ['issue'],
    });
    expect(textOf(r)).toBe(
      'step "code" (server "repo", tool "search_code") failed: JSON-RPC error -32603: index corrupt',
    );
    expect(await callsOf(fleet, 'chat')).toEqual([]);
  });

  it('treats an isError step result as a failure and carries its text', async () => {
    await fleet.mocks.get('tracker')!.addFault({ type: 'tool-error', message: 'no such issue' });
    const r = await client.callTool({ name: 'triage', arguments: { id: 9, channel: 'dev' } });
    expect(r.isError).toBe(true);
    expect(structured(r)).toMatchObject({
      failedStep: 'issue',
      kind: 'tool-error',
      error: 'no such issue (tracker.get_issue)',
    });
    expect(structured(r)!.completedSteps).toEqual([]);
    expect((await allCalls(fleet)).length).toBe(1);
    expect(textOf(r)).not.toMatch(/\n\s+at /);
  });

  it('bounds a hung step by its timeout, cancels it downstream, and calls nothing after it', async () => {
    await fleet.mocks.get('repo')!.addFault({ type: 'hang' });
    const t0 = performance.now();
    const r = await client.callTool({ name: 'quick', arguments: {} });
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(1500);
    expect(r.isError).toBe(true);
    expect(structured(r)).toMatchObject({
      failedStep: 'b',
      kind: 'timeout',
      error: 'timed out after 200 ms',
    });
    expect(await callsOf(fleet, 'chat')).toEqual([]);
    // The chain sent notifications/cancelled for the abandoned call.
    await expect.poll(async () => (await callsOf(fleet, 'repo'))[0]?.cancelled, { timeout: 3000 }).toBe(true);
  });

  it('reports an unreachable downstream server as a failed step', async () => {
    const deadPort = await freePort(); // nothing listens there
    const broken = await startChain({
      mcpServers: {
        mcpServers: {
          ...fleet.mcpServers().mcpServers,
          ghost: { type: 'http', url: `http://127.0.0.1:${deadPort}/mcp` },
        },
      },
      chain: {
        tools: [
          {
            name: 'haunted',
            pipeline: [
              { id: 'boo', server: 'ghost', tool: 'scare' },
              { server: 'tracker', tool: 'echo' },
            ],
          },
        ],
      },
    });
    const upstream = await connectUpstream(broken.url!);
    try {
      const r = await upstream.callTool({ name: 'haunted', arguments: {} });
      expect(r.isError).toBe(true);
      expect(structured(r)).toMatchObject({
        failedStep: 'boo',
        server: 'ghost',
        tool: 'scare',
        kind: 'connect',
      });
      expect(structured(r)!.error).toBe(
        'cannot reach server ghost: connection refused (127.0.0.1:' + deadPort + ')',
      );
      expect(await allCalls(fleet)).toEqual([]);
    } finally {
      await upstream.close();
      await broken.close();
    }
  });

  it('answers unknown tools with JSON-RPC -32602 and invalid input with isError', async () => {
    await expect(client.callTool({ name: 'nope', arguments: {} })).rejects.toSatisfy(
      (e) => e instanceof ProtocolError && e.code === -32602,
    );
    const r = await client.callTool({ name: 'triage', arguments: { id: 'not a number' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/invalid arguments for triage/);
    expect(await allCalls(fleet)).toEqual([]);
  });
});

describe('isolation and trace context', () => {
  it('gives each upstream request its own downstream connection; concurrent results never cross', async () => {
    await fleet.mocks
      .get('tracker')!
      .addFault({ type: 'latency', distribution: { kind: 'uniform', minMs: 10, maxMs: 60 } });
    const tags = Array.from({ length: 8 }, (_, i) => `caller-${i}`);
    const results = await Promise.all(
      tags.map((tag) => client.callTool({ name: 'tagged', arguments: { tag } })),
    );
    results.forEach((r, i) => {
      const steps = structured(r)!.steps as Record<string, { structured: { tag: string } }>;
      expect(steps.step1!.structured.tag).toBe(tags[i]);
    });
    const calls = await callsOf(fleet, 'tracker');
    expect(calls).toHaveLength(8);
    expect(maxConcurrent(calls)).toBeGreaterThan(1);
    expect(new Set(calls.map((c) => c.connection)).size).toBe(8);
  });

  it('forwards params._meta.traceparent to every downstream call', async () => {
    await client.callTool({
      name: 'triage',
      arguments: { id: 1, channel: 'dev' },
      _meta: { traceparent: TRACEPARENT, tracestate: 'vendor=1' },
    });
    const calls = await allCalls(fleet);
    expect(calls).toHaveLength(3);
    for (const c of calls) {
      expect(c.traceparent).toBe(TRACEPARENT);
      expect(c.meta).toMatchObject({ traceparent: TRACEPARENT, tracestate: 'vendor=1' });
    }
  });

  it('passes other upstream _meta through when there is no traceparent (the progressToken stays upstream)', async () => {
    await client.callTool({ name: 'tagged', arguments: { tag: 'x' }, _meta: { 'example.com/tenant': 't1' } });
    const [call] = await allCalls(fleet);
    expect(call!.traceparent).toBeUndefined();
    expect(call!.meta).toEqual({ 'example.com/tenant': 't1' });
    await client.callTool({ name: 'tagged', arguments: { tag: 'y' } }, { onprogress: () => {} });
    const calls = await allCalls(fleet);
    expect(calls[1]!.progressToken).toBeUndefined();
  });
});
