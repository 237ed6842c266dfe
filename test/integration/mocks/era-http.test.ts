import {
  Client,
  ProtocolError,
  StreamableHTTPClientTransport,
  type VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../../harness/runner/outcome.js';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { Era } from '../../../harness/schema/era.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * A streamable HTTP mock serves the era its fleet entry names (default dual):
 * a real SDK v2 client pinned to each era connects, lists, calls; faults fire
 * in each era; every call-log record carries the era of its message; a tool
 * with `ask` asks by server-to-client request (legacy) or input_required (modern).
 */

const tools = [
  { name: 'echo' },
  { name: 'fails', result: { text: 'no', isError: true } },
  { name: 'sample', ask: 'sampling' as const },
  { name: 'confirm', ask: 'elicitation' as const },
];
let fleet: Fleet;
const clients: Client[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    servers: [
      {
        name: 'dual',
        transport: 'http',
        tools,
        faults: [{ type: 'tool-error', id: 'te', tools: ['fails'] }],
      },
      { name: 'modern', transport: 'http', era: 'modern', tools },
      { name: 'legacy', transport: 'http', era: 'legacy', tools },
      {
        name: 'faulty',
        transport: 'http',
        tools: [{ name: 'echo' }, { name: 'slow' }, { name: 'cut' }, { name: 'garbage' }],
        faults: [
          { type: 'latency', id: 'lat', tools: ['slow'], ms: 20 },
          { type: 'drop', id: 'drop', tools: ['cut'], afterBytes: 5 },
          { type: 'malformed', id: 'mal', tools: ['garbage'] },
          { type: 'protocol-error', id: 'pe', tools: ['echo'], code: -32001, message: 'injected' },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await fleet?.stop();
});

const urlOf = (name: string) => (fleet.mcpServers().mcpServers[name] as { url: string }).url;
const MODES: Record<Era, VersionNegotiationMode> = { legacy: 'legacy', modern: { pin: '2026-07-28' } };

async function connect(name: string, mode: VersionNegotiationMode, caps = true): Promise<Client> {
  const client = new Client(
    { name: 'era-test', version: '0.0.0' },
    {
      capabilities: caps ? { sampling: {}, elicitation: { form: {} } } : {},
      versionNegotiation: { mode, probe: { timeoutMs: 2000 } },
    },
  );
  if (caps) {
    client.setRequestHandler('sampling/createMessage', async () => ({
      model: 'm1',
      role: 'assistant',
      content: { type: 'text', text: 'hi there' },
    }));
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { answer: 'yes' },
    }));
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(urlOf(name))));
  clients.push(client);
  return client;
}

const callsOf = (name: string, tool?: string): Promise<CallRecord[]> =>
  fleet.mocks.get(name)!.calls({ method: 'tools/call', ...(tool ? { tool } : {}) });
const logOf = (name: string, method?: string): Promise<CallRecord[]> =>
  fleet.mocks.get(name)!.calls(method ? { method } : {});

describe.each(['legacy', 'modern'] as const)('a dual mock, client pinned to %s', (era) => {
  it('negotiates the era, lists, calls, and records the era of every message', async () => {
    const client = await connect('dual', MODES[era]);
    expect(client.getProtocolEra()).toBe(era);
    const { tools: listed } = await client.listTools();
    expect(listed.map((t) => t.name)).toContain('echo');
    const r = await client.callTool({ name: 'echo', arguments: { era } });
    expect(r.structuredContent).toEqual({ era });
    const mine = (await callsOf('dual', 'echo')).filter((c) => (c.arguments as { era?: string }).era === era);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ era, outcome: 'result' });
    const all = await logOf('dual');
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((c) => c.era === 'legacy' || c.era === 'modern')).toBe(true);
    if (era === 'modern')
      expect(all.some((c) => c.method === 'server/discover' && c.era === 'modern')).toBe(true);
    else expect(all.some((c) => c.method === 'initialize' && c.era === 'legacy')).toBe(true);
  });

  it('a tool-error fault fires in this era', async () => {
    const client = await connect('dual', MODES[era]);
    const r = await client.callTool({ name: 'fails', arguments: {} });
    expect(r.isError).toBe(true);
    expect((await callsOf('dual', 'fails')).some((c) => c.era === era && c.faults.includes('te'))).toBe(true);
  });

  it('ask: sampling and elicitation reach the client (MRTR in modern) and the reply is the answer', async () => {
    const client = await connect('dual', MODES[era]);
    const s = await client.callTool({ name: 'sample', arguments: { prompt: 'greet' } });
    expect(textOf(s as Record<string, unknown>)).toBe('m1: hi there');
    const e = await client.callTool({ name: 'confirm', arguments: {} });
    expect(textOf(e as Record<string, unknown>)).toBe('accept: {"answer":"yes"}');
    const asked = (await callsOf('dual', 'sample')).filter((c) => c.era === era);
    const sent = asked.flatMap((c) => c.sent.map((x) => x.method));
    expect(sent).toContain(
      era === 'modern' ? 'input_required sampling/createMessage' : 'sampling/createMessage',
    );
    // Modern: the first call answered input_required, the retry carried the answer.
    if (era === 'modern') expect(asked.length).toBeGreaterThanOrEqual(2);
  });

  it('ask without the client capability: isError (legacy) or -32021 (modern), never an answer', async () => {
    const client = await connect('dual', MODES[era], false);
    const call = client.callTool({ name: 'sample', arguments: {} });
    if (era === 'modern') {
      await expect(call).rejects.toSatisfy((e) => e instanceof ProtocolError && e.code === -32021);
      return;
    }
    const r = await call;
    expect(r.isError).toBe(true);
    expect(textOf(r as Record<string, unknown>)).toMatch(/did not declare the sampling capability/);
  });
});

describe('single-era mocks', () => {
  it('a modern-only mock serves a modern client and refuses the legacy handshake with -32022', async () => {
    const client = await connect('modern', 'auto');
    expect(client.getProtocolEra()).toBe('modern');
    await expect(connect('modern', 'legacy')).rejects.toThrow();
    const refused = await logOf('modern', 'initialize');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((c) => c.era === 'modern')).toBe(true);
    expect(refused.some((c) => c.outcome === 'error' && c.errorCode === -32022)).toBe(true);
  });

  it('a legacy-only mock makes an auto client fall back to initialize', async () => {
    const client = await connect('legacy', 'auto');
    expect(client.getProtocolEra()).toBe('legacy');
    await expect(connect('legacy', MODES.modern)).rejects.toThrow();
    expect((await logOf('legacy')).every((c) => c.era === 'legacy')).toBe(true);
  });
});

describe.each(['legacy', 'modern'] as const)('wire and handler faults, client in %s', (era) => {
  it('latency, protocol-error, drop and malformed fire and are recorded with the era', async () => {
    const client = await connect('faulty', MODES[era]);
    await client.callTool({ name: 'slow', arguments: {} });
    await expect(client.callTool({ name: 'echo', arguments: {} })).rejects.toSatisfy(
      (e) => e instanceof ProtocolError && e.code === -32001,
    );
    await expect(client.callTool({ name: 'cut', arguments: {} }, { timeout: 1000 })).rejects.toThrow();
    await expect(client.callTool({ name: 'garbage', arguments: {} }, { timeout: 1000 })).rejects.toThrow();
    const mine = (await callsOf('faulty')).filter((c) => c.era === era);
    const outcome = (tool: string) => mine.find((c) => c.tool === tool);
    expect(outcome('slow')).toMatchObject({ outcome: 'result', faults: ['lat'] });
    expect(outcome('slow')!.injectedDelayUs).toBeGreaterThan(0);
    expect(outcome('echo')).toMatchObject({ outcome: 'error', errorCode: -32001 });
    expect(outcome('cut')).toMatchObject({ outcome: 'dropped' });
    expect(outcome('garbage')).toMatchObject({ outcome: 'malformed' });
  });
});

describe('fleet era validation', () => {
  it('an HTTP+SSE server cannot serve the modern era (path and expectation named); defaults per transport', async () => {
    const { FleetSpecSchema, servedEra } = await import('../../../harness/schema/fleet.js');
    const bad = FleetSpecSchema.safeParse({ servers: [{ name: 'old', transport: 'sse', era: 'dual' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual([
      'servers.0.era',
      "expected legacy: HTTP+SSE is a 2025-era transport (got 'dual')",
    ]);
    expect(servedEra({ transport: 'http' })).toBe('dual');
    expect(servedEra({ transport: 'stdio' })).toBe('dual');
    expect(servedEra({ transport: 'sse' })).toBe('legacy');
    expect(servedEra({ transport: 'http', era: 'modern' })).toBe('modern');
  });
});
