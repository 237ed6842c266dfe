import { request } from 'node:http';
import { type Client, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { faultScope, settleWithin } from '../../helpers/fault-scope.js';
import { eventually } from '../../helpers/mocks.js';

/**
 * Faults that act on the wire or on the mock's life (crash, drop, malformed,
 * http-status, slow-stream, flap) over streamable HTTP, observed through a
 * real SDK client and through raw HTTP on fresh connections.
 */

const echo = { name: 'echo', result: { echo: true } };
type Server = FleetInput['servers'][number];

const scope = faultScope('mcp-harness-faults-wire-');
const fleetOf = (server: Server) => scope.fleetOf(server);

async function clientOf(fleet: Fleet): Promise<{ client: Client; errors: Error[] }> {
  const client = await scope.clientOf(fleet);
  const errors: Error[] = [];
  client.onerror = (e) => errors.push(e);
  return { client, errors };
}

const urlOf = (fleet: Fleet): string => fleet.mocks.get('m')!.endpoint()!.url!;
const callsOf = (fleet: Fleet, method = 'tools/call'): Promise<CallRecord[]> =>
  fleet.mocks.get('m')!.calls({ method });

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw-probe', version: '0.0.0' },
  },
};

type Probe =
  | { status: number; headers: Record<string, string | string[] | undefined>; body: string }
  | { refused: true };

/** POST initialize on a fresh TCP connection (no keep-alive pool): a status, or refused. */
function rawInitialize(url: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: 3_000,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          // An SSE answer stays open; the first event is all we need.
          if (body.includes('\n\n')) res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('probe timed out')));
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNREFUSED' ? resolve({ refused: true }) : reject(e),
    );
    req.end(JSON.stringify(INITIALIZE));
  });
}
const isRefused = (p: Probe) => 'refused' in p;
const isUp = (p: Probe) => 'status' in p && p.status === 200;

describe('crash (http)', () => {
  it('fails the in-flight call, refuses new connections, and restart()/kill() work on the same URL', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo, { name: 'boom', result: { text: 'never' } }],
      faults: [{ type: 'crash', id: 'die', tools: ['boom'] }],
    });
    const handle = fleet.mocks.get('m')!;
    const url = urlOf(fleet);
    const { client } = await clientOf(fleet);
    expect((await client.callTool({ name: 'echo', arguments: { n: 1 } })).structuredContent).toEqual({
      n: 1,
    });

    const crashed = await settleWithin(client.callTool({ name: 'boom', arguments: {} }), 5_000);
    expect(crashed.state).toBe('rejected');
    expect(handle.status()).toBe('crashed');
    expect(await rawInitialize(url)).toEqual({ refused: true });
    const [record] = await callsOf(fleet).then((rs) => rs.filter((r) => r.tool === 'boom'));
    expect(record).toMatchObject({ outcome: 'crashed', faults: ['die'] });

    await handle.restart();
    expect(handle.status()).toBe('up');
    expect(urlOf(fleet)).toBe(url);
    expect(isUp(await rawInitialize(url))).toBe(true);
    const { client: again } = await clientOf(fleet);
    expect((await again.callTool({ name: 'echo', arguments: { n: 2 } })).structuredContent).toEqual({ n: 2 });

    // kill() from the control side: the same, without a call to trigger it.
    await handle.kill();
    expect(await rawInitialize(url)).toEqual({ refused: true });
    expect((await settleWithin(again.callTool({ name: 'echo', arguments: { n: 3 } }), 5_000)).state).toBe(
      'rejected',
    );
    await handle.restart();
    const { client: third } = await clientOf(fleet);
    expect((await third.callTool({ name: 'echo', arguments: { n: 4 } })).structuredContent).toEqual({ n: 4 });
  });
});

describe('drop (http)', () => {
  it('JSON response: the call rejects promptly, the log says dropped, the next call works', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      http: { response: 'json' },
      tools: [echo],
      faults: [{ type: 'drop', id: 'cut', afterBytes: 10, for: 1 }],
    });
    const { client } = await clientOf(fleet);
    const t0 = performance.now();
    const dropped = await settleWithin(
      client.callTool({ name: 'echo', arguments: { n: 1 } }, { timeout: 5_000 }),
      5_000,
    );
    expect(dropped.state).toBe('rejected');
    // Rejected by the cut itself, not by the request timeout.
    expect(
      dropped.state === 'rejected' &&
        SdkError.isInstance(dropped.error) &&
        dropped.error.code === SdkErrorCode.RequestTimeout,
    ).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect((await client.callTool({ name: 'echo', arguments: { n: 2 } })).structuredContent).toEqual({
      n: 2,
    });
    const records = await callsOf(fleet);
    expect(records.map((r) => [r.arguments?.n, r.outcome])).toEqual([
      [1, 'dropped'],
      [2, 'result'],
    ]);
    expect(records[0]!.faults).toEqual(['cut']);
  });

  it('SSE response: the answer never arrives (the SDK reports the broken stream); bounded by a timeout', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      http: { response: 'sse' },
      tools: [echo],
      faults: [{ type: 'drop', afterBytes: 10, for: 1 }],
    });
    const { client, errors } = await clientOf(fleet);
    // The SDK does not fail a request whose SSE stream breaks without a resumption token:
    // it stays pending until its timeout. The call must not succeed either way.
    const dropped = await settleWithin(
      client.callTool({ name: 'echo', arguments: { n: 1 } }, { timeout: 1_500 }),
      5_000,
    );
    expect(dropped.state).toBe('rejected');
    expect(errors.some((e) => /SSE stream disconnected/.test(e.message))).toBe(true);
    const [record] = await callsOf(fleet);
    expect(record).toMatchObject({ outcome: 'dropped' });
    expect((await client.callTool({ name: 'echo', arguments: { n: 2 } })).structuredContent).toEqual({
      n: 2,
    });
  });
});

describe('malformed (http)', () => {
  it('JSON response: invalid JSON instead of the answer fails the call; the log says malformed', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      http: { response: 'json' },
      tools: [echo],
      faults: [{ type: 'malformed', id: 'junk', for: 1 }],
    });
    const { client } = await clientOf(fleet);
    const outcome = await settleWithin(
      client.callTool({ name: 'echo', arguments: { n: 1 } }, { timeout: 3_000 }),
      5_000,
    );
    expect(outcome.state).toBe('rejected');
    expect(outcome.state === 'rejected' && outcome.error.name).toBe('SyntaxError');
    const [record] = await callsOf(fleet);
    expect(record).toMatchObject({ outcome: 'malformed', faults: ['junk'] });
    // Only that answer was replaced.
    expect((await client.callTool({ name: 'echo', arguments: { n: 2 } })).structuredContent).toEqual({
      n: 2,
    });
  });

  it('SSE response: the garbage event is reported through onerror and the call does not succeed', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [{ type: 'malformed', shape: 'garbage', for: 1 }],
    });
    const { client, errors } = await clientOf(fleet);
    // The SDK drops an unparsable event and keeps waiting for the answer: bounded by a timeout.
    const outcome = await settleWithin(
      client.callTool({ name: 'echo', arguments: {} }, { timeout: 1_000 }),
      5_000,
    );
    expect(outcome.state).toBe('rejected');
    expect(errors.length).toBeGreaterThan(0);
    expect((await callsOf(fleet))[0]).toMatchObject({ outcome: 'malformed' });
  });
});

describe('http-status', () => {
  it('429 with Retry-After: raw initialize gets it, and an SDK tools/call fails with it', async () => {
    const fleet = await fleetOf({
      name: 'm',
      transport: 'http',
      tools: [echo],
      faults: [
        {
          type: 'http-status',
          id: 'init-429',
          methods: ['initialize'],
          for: 1,
          status: 429,
          retryAfter: 7,
          body: 'slow down',
        },
        { type: 'http-status', id: 'call-429', tools: ['echo'], status: 429, retryAfter: 7 },
      ],
    });
    const probe = await rawInitialize(urlOf(fleet));
    expect(probe).toMatchObject({ status: 429, body: 'slow down' });
    expect('headers' in probe && probe.headers['retry-after']).toBe('7');

    // The initialize fault is spent: the SDK client connects, then its call meets the 429.
    const { client } = await clientOf(fleet);
    const error = await client.callTool({ name: 'echo', arguments: {} }).then(
      () => undefined,
      (e: unknown) => e as Error & { data?: unknown },
    );
    expect(error).toBeDefined();
    // The SDK puts the status in the error's data (its message carries the body, empty here).
    expect(error!.data).toMatchObject({ status: 429 });
    expect(`${error!.message} ${JSON.stringify(error!.data)}`).toContain('429');

    const [init] = await callsOf(fleet, 'initialize');
    expect(init).toMatchObject({ outcome: 'http-status', errorCode: 429, faults: ['init-429'] });
    const [call] = await callsOf(fleet);
    expect(call).toMatchObject({ outcome: 'http-status', errorCode: 429, faults: ['call-429'] });
  });
});

describe('slow-stream (http)', () => {
  it('dribbles the answer 4 bytes every 10 ms: same answer, at least size/4 x 10 ms', async () => {
    const fleet = await fleetOf({ name: 'm', transport: 'http', tools: [echo] });
    const { client } = await clientOf(fleet);
    const args = { city: 'Lisbon', days: 3 };
    let t0 = performance.now();
    const fast = await client.callTool({ name: 'echo', arguments: args });
    const baselineMs = performance.now() - t0;

    await fleet.mocks.get('m')!.addFault({ type: 'slow-stream', chunkBytes: 4, intervalMs: 10 });
    t0 = performance.now();
    const slow = await client.callTool({ name: 'echo', arguments: args });
    const slowMs = performance.now() - t0;

    expect(slow).toEqual(fast);
    // The JSON-RPC response alone (the SSE framing adds more) is this many bytes.
    const bytes = JSON.stringify({ result: slow, jsonrpc: '2.0', id: 2 }).length;
    const floorMs = Math.ceil(bytes / 4) * 10;
    expect(floorMs).toBeGreaterThan(200);
    expect(slowMs).toBeGreaterThanOrEqual(floorMs);
    expect(baselineMs).toBeLessThan(floorMs / 4);
  });
});

describe('flap (http)', () => {
  it('down 300 ms / up 300 ms: refused while down, answering while up; removing it leaves the mock up', async () => {
    const fleet = await fleetOf({ name: 'm', transport: 'http', tools: [echo] });
    const handle = fleet.mocks.get('m')!;
    const url = urlOf(fleet);
    expect(isUp(await rawInitialize(url))).toBe(true);

    const id = await handle.addFault({ type: 'flap', downMs: 300, upMs: 300 });
    await eventually(async () => isRefused(await rawInitialize(url)), 250, 10);
    await eventually(async () => isUp(await rawInitialize(url)), 1_000, 10);
    await eventually(async () => isRefused(await rawInitialize(url)), 1_000, 10);
    await eventually(async () => isUp(await rawInitialize(url)), 1_000, 10);

    expect(await handle.removeFault(id)).toBe(true);
    await eventually(async () => isUp(await rawInitialize(url)), 1_000, 10);
    // Stays up for longer than a whole cycle.
    for (let i = 0; i < 8; i++) {
      expect(isUp(await rawInitialize(url))).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }
    // And an SDK client works against it.
    const { client } = await clientOf(fleet);
    expect((await client.callTool({ name: 'echo', arguments: { ok: true } })).structuredContent).toEqual({
      ok: true,
    });
  });

  it('removed while its first down phase is still starting: the mock comes back up', async () => {
    const fleet = await fleetOf({ name: 'm', transport: 'http', tools: [echo] });
    const handle = fleet.mocks.get('m')!;
    const url = urlOf(fleet);
    const id = await handle.addFault({ type: 'flap', downMs: 300, upMs: 300 });
    expect(await handle.removeFault(id)).toBe(true);
    await eventually(async () => isUp(await rawInitialize(url)), 1_000, 10);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect(isUp(await rawInitialize(url))).toBe(true);
    }
  });

  it('stopping the fleet mid-flap (down phase starting, down, up) leaves nothing listening', async () => {
    for (const when of ['starting', 'down', 'up'] as const) {
      const fleet = await fleetOf({ name: 'm', transport: 'http', tools: [echo] });
      const url = urlOf(fleet);
      await fleet.mocks.get('m')!.addFault({ type: 'flap', downMs: 200, upMs: 200 });
      if (when === 'down') await eventually(async () => isRefused(await rawInitialize(url)), 500, 10);
      if (when === 'up') {
        await eventually(async () => isRefused(await rawInitialize(url)), 500, 10);
        await eventually(async () => isUp(await rawInitialize(url)), 1_000, 10);
      }
      await fleet.stop();
      await new Promise((r) => setTimeout(r, 100));
      expect(await rawInitialize(url), when).toEqual({ refused: true });
    }
  });
});
