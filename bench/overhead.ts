/**
 * bench:overhead — what the harness's instrumentation costs per call. The same
 * mock (its own process) is called by a bare SDK client loop and by the
 * harness running a scenario (span, traceparent in _meta, step deadline,
 * samples, expectations). Each round runs both sides back to back (order
 * alternating) and yields the ratio of their median per-call latencies
 * (integer µs); the result is the median of the rounds' ratios, so a machine
 * whose load drifts between rounds does not bias it.
 * Last line: `harness/bare median latency ratio: X`.
 */
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { nowUs } from '../harness/measure/clock.js';
import { runScenario } from '../harness/runner/run-scenario.js';
import { packageRoot } from '../mocks/server/package-root.js';
import { median, startServer } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const WARMUP = 100;

async function bareRound(url: string): Promise<number[]> {
  const client = new Client({ name: 'bench-bare', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const out: number[] = [];
    for (let i = 0; i < WARMUP + CALLS; i++) {
      const t0 = nowUs();
      await client.callTool({ name: 'echo', arguments: { x: i } });
      if (i >= WARMUP) out.push(nowUs() - t0);
    }
    return out;
  } finally {
    await client.close();
  }
}

async function harnessRound(url: string): Promise<number[]> {
  const result = await runScenario({
    name: 'bench-overhead',
    target: { pattern: 'direct', naming: { mode: 'identity' }, endpoint: { transport: 'http', url } },
    steps: [
      { repeat: WARMUP, steps: [{ name: 'warm', call: 'echo', args: { x: '{{iteration}}' } }] },
      { repeat: CALLS, steps: [{ name: 'call', call: 'echo', args: { x: '{{iteration}}' } }] },
    ],
  });
  if (result.status !== 'pass')
    throw new Error(`harness round failed: ${JSON.stringify(result.steps.find((s) => s.status !== 'pass'))}`);
  return result.steps.filter((s) => s.kind === 'call' && s.name.startsWith('call[')).map((s) => s.durationUs);
}

async function main(): Promise<void> {
  const server = await startServer(join(packageRoot(), 'dist/bench/servers/mock.js'));
  const ratios: number[] = [];
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      // Alternate which side goes first, so neither always runs on a warmer machine.
      const order = r % 2 ? (['bare', 'harness'] as const) : (['harness', 'bare'] as const);
      const medians = { bare: 0, harness: 0 };
      for (const side of order) {
        const xs = side === 'bare' ? await bareRound(server.url) : await harnessRound(server.url);
        medians[side] = median(xs);
      }
      ratios.push(medians.harness / medians.bare);
      console.log(
        `round ${r}: bare median ${medians.bare} µs, harness median ${medians.harness} µs, ratio ${(medians.harness / medians.bare).toFixed(3)}`,
      );
    }
  } finally {
    await server.stop();
  }
  const ratio = median(ratios);
  console.log(`harness/bare median latency ratio: ${ratio.toFixed(2)}`);
  process.exitCode = ratio <= 1.05 ? 0 : 1;
}

await main();
