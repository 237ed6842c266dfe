import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type VersionNegotiationMode } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../../harness/runner/outcome.js';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { Era } from '../../../harness/schema/era.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { eventually, startFleet } from '../../helpers/mocks.js';

/**
 * A stdio mock serves both eras by default (the SDK's stdio entry picks the
 * era from the opening message and pins it to the pipe); `era: modern` refuses
 * the 2025 handshake. Faults fire and the call log (reported from the child
 * process) carries each message's era; `ask` uses MRTR on a modern pipe.
 */

let fleet: Fleet;
let dir: string;
const clients: Client[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    servers: [
      {
        name: 'pipe',
        transport: 'stdio',
        tools: [{ name: 'echo' }, { name: 'fails' }, { name: 'sample', ask: 'sampling' }],
        faults: [{ type: 'tool-error', id: 'te', tools: ['fails'] }],
      },
      { name: 'modernpipe', transport: 'stdio', era: 'modern', tools: [{ name: 'echo' }] },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-era-stdio-'));
  await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MODES: Record<Era, VersionNegotiationMode> = { legacy: 'legacy', modern: { pin: '2026-07-28' } };

async function connect(name: string, mode: VersionNegotiationMode): Promise<Client> {
  const entry = fleet.mcpServers().mcpServers[name] as {
    command: string;
    args: string[];
    env?: Record<string, string>;
  };
  const client = new Client(
    { name: 'era-stdio-test', version: '0.0.0' },
    { capabilities: { sampling: {} }, versionNegotiation: { mode, probe: { timeoutMs: 8000 } } },
  );
  client.setRequestHandler('sampling/createMessage', async () => ({
    model: 'm2',
    role: 'assistant',
    content: { type: 'text', text: 'piped' },
  }));
  clients.push(client);
  await client.connect(
    new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { ...process.env, ...entry.env } as Record<string, string>,
      stderr: 'pipe',
    }),
  );
  return client;
}

describe.each(['legacy', 'modern'] as const)('a dual stdio mock, client pinned to %s', (era) => {
  it('serves the era, fires faults, asks, and records the era of each message', async () => {
    const client = await connect('pipe', MODES[era]);
    expect(client.getProtocolEra()).toBe(era);
    const r = await client.callTool({ name: 'echo', arguments: { era } });
    expect(r.structuredContent).toEqual({ era });
    expect((await client.callTool({ name: 'fails', arguments: {} })).isError).toBe(true);
    const s = await client.callTool({ name: 'sample', arguments: {} });
    expect(textOf(s as Record<string, unknown>)).toBe('m2: piped');
    const mock = fleet.mocks.get('pipe')!;
    const mine = (await eventually(async () => {
      const calls = (await mock.calls({ method: 'tools/call' })).filter((c) => c.era === era);
      return calls.some((c) => c.tool === 'sample' && c.outcome === 'result') ? calls : undefined;
    })) as CallRecord[];
    expect(mine.find((c) => c.tool === 'echo')).toMatchObject({ era, outcome: 'result' });
    expect(mine.find((c) => c.tool === 'fails')).toMatchObject({ era, outcome: 'isError', faults: ['te'] });
    const opening = era === 'modern' ? 'server/discover' : 'initialize';
    expect((await mock.calls({ method: opening })).some((c) => c.era === era)).toBe(true);
  });
});

describe('a modern-only stdio mock', () => {
  it('serves a modern client and refuses a legacy one', async () => {
    const client = await connect('modernpipe', 'auto');
    expect(client.getProtocolEra()).toBe('modern');
    await expect(connect('modernpipe', 'legacy')).rejects.toThrow();
  });
});
