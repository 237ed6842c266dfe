import { type Client, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { faultScope, settleWithin } from '../../helpers/fault-scope.js';
import { alive, eventually } from '../../helpers/mocks.js';

/**
 * Faults on stdio mocks: real child processes (`mcp-harness mock --stdio`)
 * spawned by a real SDK client, with faults and call logs going through the
 * fleet's control plane. A crash or a drop is the process exiting; its call
 * records must still reach the harness.
 */

const echo = { name: 'echo', result: { echo: true } };
type Server = FleetInput['servers'][number];

const scope = faultScope('mcp-harness-faults-stdio-');
afterAll(() => {
  // The crash and drop tests did spawn processes (faultScope checks they are gone).
  expect(scope.pids.length).toBeGreaterThan(0);
});

interface Connected {
  client: Client;
  pid: number;
  errors: Error[];
  closed: Promise<void>;
}

async function stdioMock(server: Omit<Server, 'transport'>): Promise<{ fleet: Fleet } & Connected> {
  const fleet = await scope.fleetOf({ ...server, transport: 'stdio' });
  const client = await scope.clientOf(fleet, server.name);
  const pid = (client.transport as StdioClientTransport).pid;
  if (pid === null) throw new Error('the stdio transport has no child pid');
  const errors: Error[] = [];
  client.onerror = (e) => errors.push(e);
  const closed = new Promise<void>((resolve) => {
    client.onclose = () => resolve();
  });
  return { fleet, client, pid, errors, closed };
}

const callsOf = (fleet: Fleet, tool?: string): Promise<CallRecord[]> =>
  fleet.mocks.get('m')!.calls({ method: 'tools/call', ...(tool ? { tool } : {}) });

const isSdk = (e: unknown, code: SdkErrorCode) => SdkError.isInstance(e) && e.code === code;

describe('crash (stdio)', () => {
  it('the child exits mid-call, the client sees the transport close, the crashed call is in the log', async () => {
    const { fleet, client, pid, closed } = await stdioMock({
      name: 'm',
      tools: [echo, { name: 'boom', result: { text: 'never' } }],
      faults: [{ type: 'crash', id: 'die', tools: ['boom'] }],
    });
    expect((await client.callTool({ name: 'echo', arguments: { n: 1 } })).structuredContent).toEqual({
      n: 1,
    });
    expect(fleet.mocks.get('m')!.instances()).toBe(1);

    const crashed = await settleWithin(client.callTool({ name: 'boom', arguments: {} }), 5_000);
    expect(crashed.state).toBe('rejected');
    expect(crashed.state === 'rejected' && isSdk(crashed.error, SdkErrorCode.ConnectionClosed)).toBe(true);
    expect((await settleWithin(closed, 2_000)).state).toBe('resolved');
    await eventually(() => !alive(pid), 3_000);

    // The record was pushed before the process died; the harness still has it.
    const records = await callsOf(fleet);
    expect(records.map((r) => [r.tool, r.outcome])).toEqual([
      ['echo', 'result'],
      ['boom', 'crashed'],
    ]);
    expect(records[1]!.faults).toEqual(['die']);
    expect(fleet.mocks.get('m')!.instances()).toBe(0);
  });

  it('kill() through the control plane ends the child process', async () => {
    const { fleet, client, pid, closed } = await stdioMock({ name: 'm', tools: [echo] });
    expect((await client.callTool({ name: 'echo', arguments: {} })).isError).toBeFalsy();
    await fleet.mocks.get('m')!.kill();
    expect((await settleWithin(closed, 3_000)).state).toBe('resolved');
    await eventually(() => !alive(pid), 3_000);
  });
});

describe('drop (stdio)', () => {
  it('half a line then the pipe is gone: the call rejects promptly, the log says dropped', async () => {
    const { fleet, client, pid, closed } = await stdioMock({
      name: 'm',
      tools: [echo],
      faults: [{ type: 'drop', id: 'cut', afterBytes: 10 }],
    });
    const t0 = performance.now();
    const dropped = await settleWithin(
      client.callTool({ name: 'echo', arguments: { n: 1 } }, { timeout: 5_000 }),
      5_000,
    );
    expect(dropped.state).toBe('rejected');
    expect(dropped.state === 'rejected' && isSdk(dropped.error, SdkErrorCode.RequestTimeout)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect((await settleWithin(closed, 2_000)).state).toBe('resolved');
    await eventually(() => !alive(pid), 3_000);
    const [record] = await callsOf(fleet);
    expect(record).toMatchObject({ outcome: 'dropped', faults: ['cut'] });
  });
});

describe('malformed (stdio)', () => {
  it('the bad line reaches the client and the call does not succeed; the pipe survives', async () => {
    const { fleet, client, errors } = await stdioMock({
      name: 'm',
      tools: [echo, { name: 'other', result: { echo: true } }],
      faults: [
        // Valid JSON but not JSON-RPC: the SDK reports it through onerror.
        { type: 'malformed', id: 'not-rpc', shape: 'wrong-jsonrpc', tools: ['echo'], for: 1 },
        // Not JSON at all: SDK v2 skips such lines on stdio without a word.
        { type: 'malformed', id: 'garbage', shape: 'garbage', tools: ['other'], for: 1 },
      ],
    });
    // Either way the answer never comes: bounded by a timeout.
    const [notRpc, garbage] = await Promise.all([
      settleWithin(client.callTool({ name: 'echo', arguments: { n: 1 } }, { timeout: 1_000 }), 5_000),
      settleWithin(client.callTool({ name: 'other', arguments: { n: 1 } }, { timeout: 1_000 }), 5_000),
    ]);
    for (const outcome of [notRpc, garbage]) {
      expect(outcome.state).toBe('rejected');
      expect(outcome.state === 'rejected' && isSdk(outcome.error, SdkErrorCode.RequestTimeout)).toBe(true);
    }
    expect(errors.some((e) => /jsonrpc/i.test(e.message))).toBe(true);
    const records = await callsOf(fleet);
    expect(records.map((r) => [r.tool, r.outcome, r.faults])).toEqual(
      expect.arrayContaining([
        ['echo', 'malformed', ['not-rpc']],
        ['other', 'malformed', ['garbage']],
      ]),
    );
    // Those lines were bad; the next answers are fine.
    expect((await client.callTool({ name: 'echo', arguments: { n: 2 } })).structuredContent).toEqual({
      n: 2,
    });
    expect((await client.callTool({ name: 'other', arguments: { n: 2 } })).structuredContent).toEqual({
      n: 2,
    });
  });
});

describe('hang (stdio)', () => {
  it('a hung call times out at the client, which cancels it; other calls are served meanwhile', async () => {
    const { fleet, client } = await stdioMock({
      name: 'm',
      tools: [echo, { name: 'stuck', result: { text: 'never' } }],
      faults: [{ type: 'hang', tools: ['stuck'] }],
    });
    const hung = client.callTool({ name: 'stuck', arguments: {} }, { timeout: 400 });
    hung.catch(() => undefined);
    expect((await client.callTool({ name: 'echo', arguments: { n: 1 } })).structuredContent).toEqual({
      n: 1,
    });
    const first = await settleWithin(hung, 50);
    expect(first.state).toBe('pending');
    const done = await settleWithin(hung, 3_000);
    expect(done.state === 'rejected' && isSdk(done.error, SdkErrorCode.RequestTimeout)).toBe(true);
    const record = await eventually(
      async () => (await callsOf(fleet, 'stuck')).find((r) => r.cancelled),
      3_000,
    );
    expect(record).toMatchObject({ cancelled: true, outcome: 'cancelled' });
  });
});

describe('slow-stream (stdio)', () => {
  it('dribbles the line 4 bytes every 10 ms: same answer, at least size/4 x 10 ms', async () => {
    const { fleet, client } = await stdioMock({ name: 'm', tools: [echo] });
    const args = { city: 'Lisbon', days: 3 };
    let t0 = performance.now();
    const fast = await client.callTool({ name: 'echo', arguments: args });
    const baselineMs = performance.now() - t0;

    await fleet.mocks.get('m')!.addFault({ type: 'slow-stream', chunkBytes: 4, intervalMs: 10 });
    t0 = performance.now();
    const slow = await client.callTool({ name: 'echo', arguments: args });
    const slowMs = performance.now() - t0;

    expect(slow).toEqual(fast);
    // The line is the JSON-RPC response plus a newline; the last chunk needs no wait after it.
    const bytes = JSON.stringify({ result: slow, jsonrpc: '2.0', id: 2 }).length + 1;
    const floorMs = (Math.ceil(bytes / 4) - 1) * 10;
    expect(floorMs).toBeGreaterThan(200);
    expect(slowMs).toBeGreaterThanOrEqual(floorMs);
    expect(baselineMs).toBeLessThan(floorMs / 4);
  });
});
