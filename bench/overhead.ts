/**
 * bench:overhead — what the harness costs per call, all of it. The same mock
 * (its own process) is called in a closed loop by a bare SDK client and by
 * `runScenario` with everything on (argument references rendered, a client
 * span and its traceparent in `_meta`, the step deadline, samples into the
 * HDR set, expectations, the per-step callback; the mock's call log attributes
 * every call afterwards). Both sides make the same calls (`echo {x: i}`, the
 * SDK numbering each request with its own JSON-RPC id) after the same warm-up.
 *
 * Per-call cost: the time from one call's completion to the next one's, over
 * the loop: the call itself plus everything the loop does around it (for the
 * harness: rendering, spans, samples, expectations, results). Each round runs
 * both sides back to back, the order alternating; a ratio is the median of the
 * rounds' ratios. Also printed: the ratio of median call latencies (the
 * harness's own timed window vs the bare client's).
 * Last line: `harness/bare per-call cost ratio: X` (goal ≤ 1.05).
 */
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { nowUs } from '../harness/measure/clock.js';
import { runScenario } from '../harness/runner/run-scenario.js';
import type { Fleet } from '../mocks/server/fleet.js';
import { packageRoot } from '../mocks/server/package-root.js';
import { connectRemoteFleet } from '../mocks/server/remote-fleet.js';
import { BENCH_FLEET, median, startServer } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const WARMUP = 100;

interface Side {
  /** Per call: completion to the next completion, µs. */
  cycleUs: number;
  /** Median latency of one call (each side's own timed window), µs. */
  latencyUs: number;
  /** The whole round, connect to close: for the harness also calibration and attribution, µs. */
  wholeUs: number;
}

/** Per-call cost from completion times: the mean gap over the loop. */
function cycleOf(completions: number[]): number {
  const n = completions.length;
  return n < 2 ? 0 : ((completions[n - 1] as number) - (completions[0] as number)) / (n - 1);
}

async function bareRound(url: string): Promise<Side> {
  const start = nowUs();
  const client = new Client({ name: 'bench-bare', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const latencies: number[] = [];
  const completions: number[] = [];
  try {
    for (let i = 1; i <= WARMUP + CALLS; i++) {
      const t0 = nowUs();
      await client.callTool({ name: 'echo', arguments: { x: i } });
      const t1 = nowUs();
      if (i > WARMUP) {
        latencies.push(t1 - t0);
        completions.push(t1);
      }
    }
  } finally {
    await client.close();
  }
  return { cycleUs: cycleOf(completions), latencyUs: median(latencies), wholeUs: nowUs() - start };
}

async function harnessRound(url: string, fleet: Fleet): Promise<Side> {
  const start = nowUs();
  const completions: number[] = [];
  const result = await runScenario(
    {
      name: 'bench-overhead',
      fleet: BENCH_FLEET,
      target: { pattern: 'direct', naming: { mode: 'identity' }, endpoint: { transport: 'http', url } },
      steps: [
        {
          repeat: WARMUP,
          timeout: '120s',
          steps: [{ name: 'warm', call: 'echo', args: { x: '{{iteration}}' } }],
        },
        {
          repeat: CALLS,
          timeout: '120s',
          steps: [
            {
              name: 'call',
              call: 'echo',
              args: { x: '{{iteration}}' },
              expect: { outcome: 'ok', text: 'ok' },
            },
          ],
        },
      ],
    },
    {
      fleet,
      onStep: (s) => {
        if (s.kind === 'call' && s.name.startsWith('call[')) completions.push(nowUs());
      },
    },
  );
  const calls = result.steps.filter((s) => s.kind === 'call' && s.name.startsWith('call['));
  const unattributed = calls.filter((s) => s.attribution === 'none').length;
  if (result.status !== 'pass' || calls.length !== CALLS || unattributed > 0) {
    const failed = result.steps.find((s) => s.status !== 'pass');
    throw new Error(`harness round failed (${unattributed} unattributed): ${JSON.stringify(failed)}`);
  }
  return {
    cycleUs: cycleOf(completions),
    latencyUs: median(calls.map((s) => s.durationUs)),
    wholeUs: nowUs() - start,
  };
}

async function main(): Promise<void> {
  const server = await startServer(join(packageRoot(), 'dist/bench/servers/mock.js'));
  const costRatios: number[] = [];
  const latencyRatios: number[] = [];
  const wholeRatios: number[] = [];
  try {
    const fleet = await connectRemoteFleet(server.extra[0] ?? '', BENCH_FLEET);
    for (let r = 1; r <= ROUNDS; r++) {
      // Alternate which side goes first, so neither always runs on a warmer machine.
      const order = r % 2 ? (['bare', 'harness'] as const) : (['harness', 'bare'] as const);
      const sides: Partial<Record<'bare' | 'harness', Side>> = {};
      for (const side of order) {
        sides[side] = side === 'bare' ? await bareRound(server.url) : await harnessRound(server.url, fleet);
        await fleet.mocks.get('bench')?.clearCalls();
      }
      const { bare, harness } = sides as Record<'bare' | 'harness', Side>;
      costRatios.push(harness.cycleUs / bare.cycleUs);
      latencyRatios.push(harness.latencyUs / bare.latencyUs);
      wholeRatios.push(harness.wholeUs / bare.wholeUs);
      console.log(
        `round ${r}: per-call cost bare ${bare.cycleUs.toFixed(0)} µs, harness ${harness.cycleUs.toFixed(0)} µs ` +
          `(ratio ${(harness.cycleUs / bare.cycleUs).toFixed(3)}); median latency bare ${bare.latencyUs} µs, ` +
          `harness ${harness.latencyUs} µs (ratio ${(harness.latencyUs / bare.latencyUs).toFixed(3)})`,
      );
    }
  } finally {
    await server.stop();
  }
  const cost = median(costRatios);
  console.log(
    `harness/bare whole-run ratio: ${median(wholeRatios).toFixed(2)} (connect to close; the harness's ` +
      'includes its calibration rounds and the attribution after the loop, which are per run, not per call)',
  );
  console.log(`harness/bare median latency ratio: ${median(latencyRatios).toFixed(2)}`);
  console.log(`harness/bare per-call cost ratio: ${cost.toFixed(2)}`);
  process.exitCode = cost <= 1.05 ? 0 : 1;
}

await main();
