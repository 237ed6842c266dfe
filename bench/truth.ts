/**
 * bench:truth — is the overhead the harness reports what the SUT really adds?
 * A mock (its own process) and a test gateway (its own process,
 * servers/delay-gateway.ts) that holds each request for a known delay,
 * spinning on the high-resolution timer and measuring the hold inside its
 * process. Cases: the mock reached directly as a mesh (nothing in between:
 * the truth is 0), and through the gateway holding 0, 0.2, 1 and 5 ms.
 *
 * The truth for a gateway case, measured without the harness: what a bare
 * SDK client pays per call through the gateway holding that delay, minus
 * what it pays straight to the mock (a call's cost: end-to-end minus the
 * mock's own service time, from its call log; medians) — the hold, the
 * gateway's pipe, and what waiting out the hold costs any client. The hold
 * the gateway measured is printed next to it. Each round runs every case
 * (harness and bare client back to back) and the bare direct loop, the order
 * alternating; a case's error is the median over rounds of (harness overhead
 * p50 − truth).
 * Last line: `max attribution error: X µs` (goal ≤ 100 µs on a quiet machine).
 */
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { median } from '../harness/measure/baseline.js';
import { nowUs } from '../harness/measure/clock.js';
import { formatSigned } from '../harness/measure/format.js';
import { HistogramSet } from '../harness/measure/histogram-set.js';
import { runScenario } from '../harness/runner/run-scenario.js';
import type { Fleet } from '../mocks/server/fleet.js';
import type { MockHandle } from '../mocks/server/handle.js';
import { packageRoot } from '../mocks/server/package-root.js';
import { connectRemoteFleet } from '../mocks/server/remote-fleet.js';
import { BENCH_FLEET, startServer } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const GOAL_US = 100;

interface Case {
  name: string;
  /** Undefined: the mesh case (no gateway). */
  delayUs?: number;
}
const CASES: Case[] = [
  { name: 'mesh, nothing between' },
  { name: 'gateway, hold 0 ms', delayUs: 0 },
  { name: 'gateway, hold 0.2 ms', delayUs: 200 },
  { name: 'gateway, hold 1 ms', delayUs: 1_000 },
  { name: 'gateway, hold 5 ms', delayUs: 5_000 },
];

interface Row {
  p50: number;
  errorBar: number | undefined;
  /** The hold the gateway measured (median), µs. */
  hold: number;
}

const dist = (f: string) => join(packageRoot(), 'dist/bench/servers', f);
const post = (base: string, path: string) => fetch(new URL(path, base), { method: 'POST' });
const timings = async (base: string) =>
  (await (await fetch(new URL('/__timings', base))).json()) as Array<{ holdUs: number }>;

/** A bare SDK client's cost per call (end-to-end − the mock's service time), median over CALLS. */
async function bareCost(url: string, mock: MockHandle, tag: number): Promise<number> {
  const client = new Client({ name: 'bench-truth-bare', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const e2e = new Map<number, number>();
  try {
    for (let i = 0; i < 20; i++) await client.ping();
    for (let i = 0; i < CALLS; i++) {
      const x = tag * 1_000_000 + i;
      const t0 = nowUs();
      await client.callTool({ name: 'echo', arguments: { x } });
      e2e.set(x, nowUs() - t0);
    }
  } finally {
    await client.close();
  }
  const costs = (await mock.calls({ tool: 'echo' }))
    .filter((r) => e2e.has(r.arguments?.x as number) && r.completedUs !== undefined)
    .map((r) => (e2e.get(r.arguments?.x as number) as number) - ((r.completedUs as number) - r.receivedUs));
  if (costs.length < CALLS) throw new Error(`bare loop: ${costs.length} of ${CALLS} calls in the call log`);
  return median(costs);
}

/** One case through the harness: its overhead p50 (signed), its ±, and the hold the gateway measured. */
async function harnessCase(c: Case, fleet: Fleet, gatewayUrl: string): Promise<Row> {
  const viaGateway = c.delayUs !== undefined;
  if (viaGateway) {
    await post(gatewayUrl, `/__delay?us=${c.delayUs}`);
    await timings(gatewayUrl);
  }
  await fleet.mocks.get('bench')?.clearCalls();
  const result = await runScenario(
    {
      name: 'bench-truth',
      fleet: BENCH_FLEET,
      target: viaGateway
        ? {
            pattern: 'gateway',
            naming: { mode: 'identity' },
            endpoint: { transport: 'http', url: gatewayUrl },
          }
        : { pattern: 'mesh', fromFleet: true },
      steps: [
        {
          repeat: CALLS,
          timeout: '120s',
          steps: [{ name: 'call', call: viaGateway ? 'echo' : 'bench.echo', args: { x: '{{iteration}}' } }],
        },
      ],
    },
    { fleet },
  );
  if (result.status !== 'pass') {
    throw new Error(
      `${c.name}: ${JSON.stringify(result.error ?? result.steps.find((s) => s.status !== 'pass'))}`,
    );
  }
  const overhead = new HistogramSet().mergeEncoded(result.histograms).select('overhead');
  if (overhead?.count !== CALLS) throw new Error(`${c.name}: ${overhead?.count ?? 0} overhead values`);
  const errorBar = result.histograms.find((h) => h.metric === 'overhead')?.errorUs;
  const hold = viaGateway ? median((await timings(gatewayUrl)).map((t) => t.holdUs)) : 0;
  return { p50: overhead.percentile(50), errorBar, hold };
}

async function main(): Promise<void> {
  const mock = await startServer(dist('mock.js'));
  const gateway = await startServer(dist('delay-gateway.js'), [mock.url]);
  const rows = new Map<Case, Array<Row & { truth: number }>>(CASES.map((c) => [c, []]));
  try {
    const fleet = await connectRemoteFleet(mock.extra[0] ?? '', BENCH_FLEET);
    const bench = fleet.mocks.get('bench');
    if (!bench) throw new Error('the benchmark mock has no server "bench"');
    let tag = 0;
    const bareDirect = async () => {
      await bench.clearCalls();
      return bareCost(mock.url, bench, ++tag);
    };
    const bareThrough = async (delayUs: number) => {
      await post(gateway.url, `/__delay?us=${delayUs}`);
      await bench.clearCalls();
      const cost = await bareCost(gateway.url, bench, ++tag);
      await timings(gateway.url);
      return cost;
    };
    for (let r = 1; r <= ROUNDS; r++) {
      // Alternate: the cases in order, the harness before the bare client, then reversed.
      const got = new Map<Case, Row & { bare: number }>();
      const direct = [await bareDirect()];
      for (const c of r % 2 ? CASES : [...CASES].reverse()) {
        if (c.delayUs === undefined) {
          got.set(c, { ...(await harnessCase(c, fleet, gateway.url)), bare: 0 });
          continue;
        }
        const bareFirst = r % 2 === 0 ? await bareThrough(c.delayUs) : undefined;
        const row = await harnessCase(c, fleet, gateway.url);
        got.set(c, { ...row, bare: bareFirst ?? (await bareThrough(c.delayUs)) });
      }
      direct.push(await bareDirect());
      const directCost = (direct[0]! + direct[1]!) / 2;
      console.log(
        `round ${r}: a bare client's cost per call straight to the mock: ${Math.round(directCost)} µs`,
      );
      for (const c of CASES) {
        const row = got.get(c)!;
        const truth = c.delayUs === undefined ? 0 : row.bare - directCost;
        rows.get(c)?.push({ ...row, truth });
        console.log(
          `  ${line(c.name, row.p50, row.errorBar, truth)}  (hold measured in the gateway ${row.hold} µs)`,
        );
      }
    }
  } finally {
    await gateway.stop();
    await mock.stop();
  }
  console.log('');
  let worst = 0;
  for (const [c, rs] of rows) {
    const error = median(rs.map((r) => r.p50 - r.truth));
    worst = Math.max(worst, Math.abs(error));
    const p50 = median(rs.map((r) => r.p50));
    const bar = median(rs.map((r) => r.errorBar ?? 0));
    console.log(
      `${line(c.name, p50, bar, median(rs.map((r) => r.truth)))}  median error ${formatSigned(Math.round(error))}`,
    );
  }
  console.log(`max attribution error: ${Math.round(worst)} µs`);
  process.exitCode = worst <= GOAL_US ? 0 : 1;
}

function line(name: string, p50: number, bar: number | undefined, truth: number): string {
  return (
    `${name.padEnd(22)} overhead p50 ${formatSigned(Math.round(p50), bar).padEnd(18)} ` +
    `true ${formatSigned(Math.round(truth)).padEnd(9)} error ${formatSigned(Math.round(p50 - truth))}`
  );
}

await main();
