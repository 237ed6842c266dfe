/**
 * bench:truth — is the overhead the harness reports what the SUT really adds?
 * A mock (its own process) and a test gateway (its own process,
 * servers/delay-gateway.ts) that holds each request for a known delay. Cases:
 * the mock reached directly as a mesh (nothing in between: the truth is 0),
 * and through the gateway holding 0, 0.2, 1 and 5 ms. For a gateway case the
 * truth of each call is measured without the harness: the time the call
 * spent inside the gateway process (its hold and its own hop to the mock)
 * minus the mock's own service time from its call log. Each round runs every
 * case once, the order alternating; a case's error is the median over rounds
 * of (harness overhead p50 − true p50).
 * Last line: `max attribution error: X µs` (goal ≤ 100 µs on a quiet machine).
 */
import { join } from 'node:path';
import { median } from '../harness/measure/baseline.js';
import { formatSigned } from '../harness/measure/format.js';
import { HistogramSet } from '../harness/measure/histogram-set.js';
import { runScenario } from '../harness/runner/run-scenario.js';
import { packageRoot } from '../mocks/server/package-root.js';
import { connectRemoteFleet } from '../mocks/server/remote-fleet.js';
import { BENCH_FLEET, startServer } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
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

interface Timing {
  traceparent?: string;
  holdUs: number;
  residenceUs: number;
}
interface Row {
  p50: number;
  errorBar: number | undefined;
  truth: number;
  hold: number;
}

const dist = (f: string) => join(packageRoot(), 'dist/bench/servers', f);

async function main(): Promise<void> {
  const mock = await startServer(dist('mock.js'));
  const gateway = await startServer(dist('delay-gateway.js'), [mock.url]);
  const rows = new Map<Case, Row[]>(CASES.map((c) => [c, []]));
  try {
    const fleet = await connectRemoteFleet(mock.extra[0] ?? '', BENCH_FLEET);
    const bench = fleet.mocks.get('bench');
    if (!bench) throw new Error('the benchmark mock has no server "bench"');
    const runCase = async (c: Case, round: number): Promise<Row> => {
      const viaGateway = c.delayUs !== undefined;
      if (viaGateway) {
        await fetch(new URL(`/__delay?us=${c.delayUs}`, gateway.url), { method: 'POST' });
        await fetch(new URL('/__timings', gateway.url)).then((r) => r.text());
      }
      await bench.clearCalls();
      const result = await runScenario(
        {
          name: 'bench-truth',
          fleet: BENCH_FLEET,
          target: viaGateway
            ? {
                pattern: 'gateway',
                naming: { mode: 'identity' },
                endpoint: { transport: 'http', url: gateway.url },
              }
            : { pattern: 'mesh', fromFleet: true },
          steps: [
            {
              repeat: CALLS,
              timeout: '120s',
              steps: [
                { name: 'call', call: viaGateway ? 'echo' : 'bench.echo', args: { x: '{{iteration}}' } },
              ],
            },
          ],
        },
        { fleet },
      );
      const failed = result.steps.find((s) => s.status !== 'pass');
      if (result.status !== 'pass') throw new Error(`${c.name}: ${JSON.stringify(result.error ?? failed)}`);
      const overhead = new HistogramSet().mergeEncoded(result.histograms).select('overhead');
      if (!overhead || overhead.count !== CALLS)
        throw new Error(`${c.name}: ${overhead?.count ?? 0} overhead values for ${CALLS} calls`);
      const errorBar = result.histograms.find((h) => h.metric === 'overhead')?.errorUs;
      let truth = 0;
      let hold = 0;
      if (viaGateway) {
        const timings = (await (await fetch(new URL('/__timings', gateway.url))).json()) as Timing[];
        const records = await bench.calls({ tool: 'echo' });
        const service = new Map(
          records.map((r) => [r.traceparent, (r.completedUs ?? r.receivedUs) - r.receivedUs]),
        );
        const truths = timings
          .filter((t) => t.traceparent && service.has(t.traceparent))
          .map((t) => t.residenceUs - (service.get(t.traceparent) as number));
        if (truths.length < CALLS) throw new Error(`${c.name}: ${truths.length} gateway timings matched`);
        truth = median(truths);
        hold = median(timings.map((t) => t.holdUs));
      }
      const row = { p50: overhead.percentile(50), errorBar, truth, hold };
      console.log(
        `round ${round} ${c.name.padEnd(22)} overhead p50 ${formatSigned(row.p50, errorBar).padEnd(18)} ` +
          `true ${formatSigned(Math.round(truth)).padEnd(9)} (hold ${hold} µs)  error ${formatSigned(Math.round(row.p50 - truth))}`,
      );
      return row;
    };
    for (let r = 1; r <= ROUNDS; r++) {
      const order = r % 2 ? CASES : [...CASES].reverse();
      for (const c of order) rows.get(c)?.push(await runCase(c, r));
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
    const bar = median(rs.map((r) => r.errorBar ?? 0));
    console.log(
      `${c.name.padEnd(22)} overhead p50 ${formatSigned(Math.round(median(rs.map((r) => r.p50))), bar).padEnd(18)} ` +
        `true ${formatSigned(Math.round(median(rs.map((r) => r.truth)))).padEnd(9)} error ${formatSigned(Math.round(error))}`,
    );
  }
  console.log(`max attribution error: ${Math.round(worst)} µs`);
  process.exitCode = worst <= GOAL_US ? 0 : 1;
}

await main();
