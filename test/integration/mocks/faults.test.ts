import { ProtocolError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { faultScope, settleWithin } from '../../helpers/fault-scope.js';
import { eventually } from '../../helpers/mocks.js';

/**
 * Handler-level faults (latency, tool-error, protocol-error, throw, hang,
 * large-payload), the selector fields every fault shares, and faults changed
 * at run time — each observed through a real SDK client, and cross-checked
 * against the mock's call log.
 */

const echo = { name: 'echo', result: { echo: true } };

const { fleetOf, clientOf } = faultScope('mcp-harness-faults-');

const callsOf = async (fleet: Fleet, tool?: string): Promise<CallRecord[]> =>
  fleet.mocks.get('m')!.calls({ method: 'tools/call', ...(tool ? { tool } : {}) });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

const textOf = (result: { content?: unknown }, i = 0): string =>
  ((result.content as Array<{ type: string; text?: string }>)[i]?.text ?? '') as string;

describe('latency', () => {
  // A client-side timing claim on a shared 2-core machine: a scheduling burst from a parallel test is not a defect.
  it('lognormal: median 50 ms at the client and in the call log, sigma as configured (400 calls, 40 concurrent)', {
    retry: 2,
  }, async () => {
    // A stdio mock runs in its own process: the client's event loop does not also serve the mock.
    // `ref` answers after a fixed 50 ms: its client-side median is 50 ms plus this machine's
    // transport overhead at the same concurrency, measured in the same run.
    const fleet = await fleetOf(
      {
        name: 'm',
        transport: 'stdio',
        tools: [echo, { name: 'ref', result: { echo: true } }],
        faults: [
          {
            type: 'latency',
            id: 'lat',
            tools: ['echo'],
            distribution: { kind: 'lognormal', medianMs: 50, sigma: 0.25 },
          },
          { type: 'latency', id: 'ref', tools: ['ref'], ms: 50 },
        ],
      },
      20260728,
    );
    const client = await clientOf(fleet);
    const CONCURRENCY = 40;
    let issued = 0;
    /** n calls of each tool, interleaved, CONCURRENCY in flight through one client, each timed by the client. */
    const round = async (n: number) => {
      const elapsed = new Map<number, number>();
      const end = issued + 2 * n;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (issued < end) {
            const i = issued++;
            const t0 = performance.now();
            await client.callTool({ name: i % 2 === 0 ? 'echo' : 'ref', arguments: { i } });
            elapsed.set(i, performance.now() - t0);
          }
        }),
      );
      const records = (await callsOf(fleet)).filter((r) => elapsed.has(r.arguments?.i as number));
      const ms = (r: CallRecord) => elapsed.get(r.arguments!.i as number)!;
      return {
        records: records.filter((r) => r.tool === 'echo'),
        refs: records.filter((r) => r.tool === 'ref'),
        ms,
      };
    };
    await round(100); // warm both processes' JIT on this path; not measured

    const N = 400;
    const { records, refs, ms } = await round(N);
    expect(records).toHaveLength(N);
    expect(refs).toHaveLength(N);
    for (const r of [...records, ...refs]) {
      expect(r.faults).toEqual([r.tool === 'echo' ? 'lat' : 'ref']);
      expect(r.outcome).toBe('result');
      expect(Number.isInteger(r.injectedDelayUs)).toBe(true);
      // The delay recorded is the delay served, at the mock and as the client saw it.
      expect(r.completedUs! - r.receivedUs).toBeGreaterThanOrEqual(r.injectedDelayUs!);
      expect(ms(r) * 1000).toBeGreaterThanOrEqual(r.injectedDelayUs!);
    }
    expect(refs.every((r) => r.injectedDelayUs === 50_000)).toBe(true);

    // The call log: median within 5% of 50 ms, and the spread of a lognormal with sigma 0.25.
    const injectedMs = records.map((r) => r.injectedDelayUs! / 1000);
    expect(Math.abs(median(injectedMs) - 50)).toBeLessThanOrEqual(2.5);
    const logs = injectedMs.map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sigma = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
    expect(sigma).toBeGreaterThan(0.22);
    expect(sigma).toBeLessThan(0.28);

    // The client: median within 5% of 50 ms once this run's transport overhead is taken off.
    // The overhead is what a fixed 50 ms costs the client beyond 50 ms, on average: a spread
    // delay plus a small skewed overhead has its median shifted by about the overhead's mean.
    const clientMedian = median(records.map(ms));
    const overhead = refs.reduce((sum, r) => sum + ms(r), 0) / refs.length - 50;
    const report = `client median ${clientMedian.toFixed(2)} ms, transport overhead ${overhead.toFixed(2)} ms, log median ${median(injectedMs).toFixed(2)} ms`;
    expect(overhead, report).toBeGreaterThanOrEqual(0);
    expect(Math.abs(clientMedian - overhead - 50), report).toBeLessThanOrEqual(2.5);
  });

  it('fixed: every call takes at least `ms`, and the log says exactly that much was injected', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [{ type: 'latency', ms: 30 }],
    });
    const client = await clientOf(fleet);
    const elapsed = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const t0 = performance.now();
        const r = await client.callTool({ name: 'echo', arguments: { i } });
        expect(r.structuredContent).toEqual({ i });
        return performance.now() - t0;
      }),
    );
    for (const ms of elapsed) expect(ms).toBeGreaterThanOrEqual(30);
    const records = await callsOf(fleet);
    expect(records.map((r) => r.injectedDelayUs)).toEqual(Array(8).fill(30_000));
  });

  it('is reproducible: the same seed draws the same delays in a fresh fleet, another seed does not', async () => {
    const delays = async (seed: number) => {
      const fleet = await fleetOf(
        {
          name: 'm',
          transport: 'http',
          http: { response: 'json' },
          tools: [echo],
          faults: [{ type: 'latency', distribution: { kind: 'lognormal', medianMs: 3, sigma: 0.5 } }],
        },
        seed,
      );
      const client = await clientOf(fleet);
      for (let i = 0; i < 15; i++) await client.callTool({ name: 'echo', arguments: { i } });
      const records = await callsOf(fleet);
      expect(records.map((r) => r.arguments?.i)).toEqual([...Array(15).keys()]);
      return records.map((r) => r.injectedDelayUs);
    };
    const first = await delays(42);
    const again = await delays(42);
    const other = await delays(43);
    expect(new Set(first).size).toBeGreaterThan(10);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(other.filter((d, i) => d === first[i]).length).toBeLessThan(3);
  });
});

describe('tool-error', () => {
  it('answers isError: true with the text and structured payload; the log says isError', async () => {
    const structuredContent = { code: 'E_DB', retryable: true };
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [{ type: 'tool-error', id: 'te', message: 'database unavailable', structuredContent }],
    });
    const client = await clientOf(fleet);
    const result = await client.callTool({ name: 'echo', arguments: { q: 1 } });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: 'database unavailable (m.echo)' }]);
    expect(result.structuredContent).toEqual(structuredContent);
    const [record] = await callsOf(fleet);
    expect(record).toMatchObject({ outcome: 'isError', faults: ['te'], tool: 'echo', arguments: { q: 1 } });
  });
});

describe('protocol-error', () => {
  it('rejects the call with the configured JSON-RPC code, message and data', async () => {
    const data = { upstream: 'billing', retryAfterMs: 250 };
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [{ type: 'protocol-error', code: -32001, message: 'upstream unavailable', data }],
    });
    const client = await clientOf(fleet);
    const error = await client.callTool({ name: 'echo', arguments: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: -32001, data });
    expect((error as Error).message).toContain('upstream unavailable');
    const [record] = await callsOf(fleet);
    expect(record).toMatchObject({ outcome: 'error', errorCode: -32001 });
  });
});

describe('throw', () => {
  it('turns the handler exception into a JSON-RPC error, and the mock keeps serving', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [{ type: 'throw', message: 'kaboom in handler', for: 1 }],
    });
    const client = await clientOf(fleet);
    const error = await client.callTool({ name: 'echo', arguments: { n: 1 } }).then(
      (r) => ({ notAnError: r }),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(typeof (error as ProtocolError).code).toBe('number');
    expect((error as Error).message).toContain('kaboom in handler');
    // Same client, same session: the next call is served normally.
    const ok = await client.callTool({ name: 'echo', arguments: { n: 2 } });
    expect(ok.isError).toBeFalsy();
    expect(ok.structuredContent).toEqual({ n: 2 });
    const records = await callsOf(fleet);
    expect(records.map((r) => r.outcome)).toEqual(['error', 'result']);
    expect(records[0]!.errorCode).toBe((error as ProtocolError).code);
  });
});

describe('hang', () => {
  it('never answers the hung request while others complete; cancelling it is recorded', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo, { name: 'stuck', result: { text: 'never' } }],
      faults: [{ type: 'hang', tools: ['stuck'] }],
    });
    const client = await clientOf(fleet);
    const abort = new AbortController();
    const hung = client.callTool({ name: 'stuck', arguments: {} }, { signal: abort.signal });
    hung.catch(() => undefined);

    // Another request on the same client completes while the first hangs.
    const other = await client.callTool({ name: 'echo', arguments: { alongside: true } });
    expect(other.structuredContent).toEqual({ alongside: true });
    expect((await settleWithin(hung, 300)).state).toBe('pending');
    const [stuck] = await callsOf(fleet, 'stuck');
    expect(stuck).toMatchObject({ outcome: 'hung' });
    expect(stuck!.completedUs).toBeUndefined();

    abort.abort(new Error('caller gave up'));
    expect((await settleWithin(hung, 2_000)).state).toBe('rejected');
    const cancelled = await eventually(
      async () => (await callsOf(fleet, 'stuck')).find((r) => r.cancelled),
      3_000,
    );
    expect(cancelled).toMatchObject({ cancelled: true, outcome: 'cancelled' });
  });
});

describe('large-payload', () => {
  it('appends a text block of exactly the configured size', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [{ type: 'large-payload', bytes: 1_048_576 }],
    });
    const client = await clientOf(fleet);
    const result = await client.callTool({ name: 'echo', arguments: { k: 'v' } });
    const blocks = result.content as Array<{ type: string; text: string }>;
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toEqual({ type: 'text', text: '{"k":"v"}' });
    expect(blocks[1]!.type).toBe('text');
    expect(blocks[1]!.text.length).toBe(1_048_576);
    expect(result.structuredContent).toEqual({ k: 'v' });
  });
});

describe('selectors', () => {
  it('after: 2, for: 1 fails only the third call', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [{ type: 'tool-error', id: 'third', after: 2, for: 1 }],
    });
    const client = await clientOf(fleet);
    const flags: boolean[] = [];
    for (let i = 0; i < 6; i++)
      flags.push((await client.callTool({ name: 'echo', arguments: { i } })).isError === true);
    expect(flags).toEqual([false, false, true, false, false, false]);
    expect((await callsOf(fleet)).map((r) => r.faults)).toEqual([[], [], ['third'], [], [], []]);
  });

  it("tools: ['a'] leaves tool b alone (and methods default to tools/call)", async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [
        { name: 'a', result: { text: 'a ok' } },
        { name: 'b', result: { text: 'b ok' } },
      ],
      faults: [{ type: 'tool-error', tools: ['a'] }],
    });
    const client = await clientOf(fleet);
    // tools/list is not tools/call: untouched.
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['a', 'b']);
    for (let i = 0; i < 3; i++) {
      expect((await client.callTool({ name: 'a', arguments: {} })).isError).toBe(true);
      const b = await client.callTool({ name: 'b', arguments: {} });
      expect(b.isError).toBeFalsy();
      expect(textOf(b)).toBe('b ok');
    }
  });

  it('probability: 0.5 over 200 calls fails about half, reproducibly for a fixed seed', async () => {
    const run = async () => {
      const fleet = await fleetOf(
        {
          name: 'm',
          transport: 'http',
          http: { response: 'json' },
          tools: [echo],
          faults: [{ type: 'tool-error', id: 'coin', probability: 0.5 }],
        },
        7,
      );
      const client = await clientOf(fleet);
      const flags: boolean[] = [];
      for (let i = 0; i < 200; i++)
        flags.push((await client.callTool({ name: 'echo', arguments: { i } })).isError === true);
      const records = await callsOf(fleet);
      expect(records.map((r) => r.faults.includes('coin'))).toEqual(flags);
      return flags;
    };
    const flags = await run();
    const failed = flags.filter(Boolean).length;
    expect(failed).toBeGreaterThanOrEqual(70);
    expect(failed).toBeLessThanOrEqual(130);
    // Not a trivial pattern, and the same seed gives the same coin flips.
    expect(flags.slice(0, 20).some(Boolean) && !flags.slice(0, 20).every(Boolean)).toBe(true);
    expect(await run()).toEqual(flags);
  });
});

describe('faults changed at run time', () => {
  for (const transport of ['http', 'stdio'] as const) {
    it(`addFault/removeFault take effect on the next call (${transport})`, async () => {
      const fleet = await fleetOf({ name: 'm', transport, tools: [echo] });
      // stdio: the handle is the harness-side proxy; every change fans out to the child process.
      const handle = fleet.mocks.get('m')!;
      const client = await clientOf(fleet);
      expect((await client.callTool({ name: 'echo', arguments: { n: 1 } })).isError).toBeFalsy();

      const id = await handle.addFault({ type: 'tool-error', message: 'switched on' });
      expect(handle.listFaults().map((f) => f.id)).toEqual([id]);
      const failed = await client.callTool({ name: 'echo', arguments: { n: 2 } });
      expect(failed.isError).toBe(true);
      expect(textOf(failed)).toBe('switched on (m.echo)');

      // Swap it for another fault, this time through the control API over HTTP.
      expect(await handle.removeFault(id)).toBe(true);
      const control = async (method: 'POST' | 'DELETE', path: string, body?: unknown) => {
        const res = await fetch(`${fleet.controlUrl}/mocks/m${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as { id?: string } };
      };
      const added = await control('POST', '/faults', {
        type: 'protocol-error',
        code: -32050,
        message: 'second fault',
        tools: ['echo'],
      });
      expect(added.status).toBe(201);
      const pe = added.body.id!;
      expect(handle.listFaults().map((f) => f.id)).toEqual([pe]);
      await expect(client.callTool({ name: 'echo', arguments: { n: 3 } })).rejects.toMatchObject({
        code: -32050,
      });

      expect((await control('DELETE', `/faults/${pe}`)).status).toBe(200);
      expect((await control('DELETE', `/faults/${pe}`)).status).toBe(404);
      expect(handle.listFaults()).toEqual([]);
      const ok = await client.callTool({ name: 'echo', arguments: { n: 4 } });
      expect(ok.isError).toBeFalsy();
      expect(ok.structuredContent).toEqual({ n: 4 });

      const records = await callsOf(fleet);
      expect(records.map((r) => [r.arguments?.n, r.outcome, r.faults])).toEqual([
        [1, 'result', []],
        [2, 'isError', [id]],
        [3, 'error', [pe]],
        [4, 'result', []],
      ]);
    });
  }
});
