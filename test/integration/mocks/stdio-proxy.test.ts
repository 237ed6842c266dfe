import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import { jsonCall } from '../../../mocks/server/json-http.js';
import type { StdioMockProxy } from '../../../mocks/server/stdio-proxy.js';
import { faultScope } from '../../helpers/fault-scope.js';
import { eventually } from '../../helpers/mocks.js';

/**
 * The records stdio mocks push to the harness are bounded as a mock's call
 * log is (MCP_HARNESS_CALL_LOG_SIZE, here 5): past the capacity the oldest
 * pushed is dropped and the newest are kept, so a long run of SUT-spawned
 * children holds flat memory in the harness.
 */

const CAPACITY = 5;
const saved = process.env.MCP_HARNESS_CALL_LOG_SIZE;
beforeAll(() => {
  process.env.MCP_HARNESS_CALL_LOG_SIZE = String(CAPACITY);
});
afterAll(() => {
  if (saved === undefined) delete process.env.MCP_HARNESS_CALL_LOG_SIZE;
  else process.env.MCP_HARNESS_CALL_LOG_SIZE = saved;
});

const scope = faultScope('mcp-harness-stdio-proxy-');
const server: FleetInput['servers'][number] = { name: 'm', transport: 'stdio', tools: [{ name: 'echo' }] };

function record(instance: string, seq: number, outcome: CallRecord['outcome'] = 'pending'): CallRecord {
  return {
    seq,
    mock: 'm',
    instance,
    connection: 'c',
    kind: 'request',
    id: seq,
    method: 'tools/call',
    tool: 'echo',
    receivedUs: seq * 1000,
    outcome,
    faults: [],
    sent: [],
  };
}

describe('stdio mock proxy: pushed records', () => {
  it('keeps the newest `capacity` pushed through the control API; a record pushed again is updated in place', async () => {
    const fleet = await scope.fleetOf(server);
    const url = `${fleet.controlUrl}/mocks/m/records`;
    // 3 batches of 40 from two instances: 120 records, 24 times the capacity.
    for (let b = 0; b < 3; b++) {
      const batch = Array.from({ length: 40 }, (_, i) => record(i % 2 ? 'b' : 'a', b * 40 + i + 1));
      await jsonCall(url, 'POST', batch, 2_000);
    }
    // The newest one completes: pushed again, it replaces its pending version and evicts nothing.
    await jsonCall(url, 'POST', [record('a', 119, 'result')], 2_000);
    const kept = await fleet.mocks.get('m')!.calls();
    expect(kept.map((r) => [r.instance, r.seq, r.outcome])).toEqual([
      ['b', 116, 'pending'],
      ['a', 117, 'pending'],
      ['b', 118, 'pending'],
      ['a', 119, 'result'],
      ['b', 120, 'pending'],
    ]);
    // The control API reads the same bounded set.
    const read = await jsonCall<CallRecord[]>(`${fleet.controlUrl}/mocks/m/calls?method=tools/call`, 'GET');
    expect(read.map((r) => r.seq)).toEqual([116, 117, 118, 119, 120]);
  });

  it('a SUT-spawned child that made more calls than the capacity and exited leaves its newest calls', async () => {
    const fleet = await scope.fleetOf(server);
    const client = await scope.clientOf(fleet);
    for (let n = 1; n <= 12; n++) await client.callTool({ name: 'echo', arguments: { n } });
    await client.close();
    const proxy = fleet.mocks.get('m')!;
    await eventually(() => proxy.instances() === 0, 5_000);
    // Only pushed records remain (no live child): the newest five, all echo calls 8..12.
    const last = (calls: CallRecord[]) =>
      calls.at(-1)?.arguments?.n === 12 && calls.at(-1)?.outcome === 'result';
    await eventually(async () => last(await proxy.calls()), 5_000);
    const kept = await proxy.calls();
    expect(kept.map((r) => r.arguments?.n)).toEqual([8, 9, 10, 11, 12]);
    expect(kept.every((r) => r.method === 'tools/call' && r.outcome === 'result')).toBe(true);
  });

  it('forgets instances that are gone: exited, or no longer answering', async () => {
    const fleet = await scope.fleetOf(server);
    const proxy = fleet.mocks.get('m') as StdioMockProxy;
    const live = (proxy as unknown as { live: Map<string, unknown> }).live;
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    for (let i = 0; i < 50; i++)
      await jsonCall(`${fleet.controlUrl}/instances`, 'POST', {
        mock: 'm',
        id: `x${i}`,
        pid: exited,
        url: 'http://127.0.0.1:9',
      });
    // A process that exists (this one) whose control link does not answer.
    await jsonCall(`${fleet.controlUrl}/instances`, 'POST', {
      mock: 'm',
      id: 'mute',
      pid: process.pid,
      url: 'http://127.0.0.1:9',
    });
    expect(live.size).toBe(51);
    expect(proxy.instances()).toBe(1);
    expect(live.size).toBe(1);
    await proxy.calls();
    expect(proxy.instances()).toBe(0);
    expect(live.size).toBe(0);
  });
});
