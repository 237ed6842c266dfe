/**
 * bench:load — the harness's closed-loop generator (runLoad, constant-vus)
 * vs autocannon: same connections, same duration, same canned-answer MCP
 * endpoint (the benchmark mock, in its own process), both sending tools/call
 * with a unique JSON-RPC id per request over the same number of sessions,
 * the same warm-up, rounds alternated (and which side goes first too) in one
 * run. Throughput is completed requests / duration on both sides; the ratio
 * of medians is the result. Then the open loop: achieved/target rate at
 * 2,000 req/s (constant-arrival-rate).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from '../harness/load/index.js';
import { totalErrors } from '../harness/load/thresholds.js';
import type { LoadOptionsInput } from '../harness/schema/load.js';
import { autocannonToolCalls } from './autocannon.js';
import { BENCH_FLEET, median, openSession, startServer } from './lib.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Threads on each side: autocannon runs on one, so the harness gets one too unless asked. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const OPEN_RATE = Number(process.env.BENCH_OPEN_RATE ?? 2000);
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 5);

const server = await startServer(join(here, 'servers', 'mock.js'));
const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
try {
  const [controlUrl] = server.extra;
  const fleetFile = join(dir, 'fleet.json');
  await writeFile(fleetFile, JSON.stringify(BENCH_FLEET));
  const base: LoadOptionsInput = {
    target: { pattern: 'mesh', fromFleet: true },
    fleet: fleetFile,
    fleetAt: controlUrl,
    tool: 'bench.echo',
    args: { x: 1 },
    workers: WORKERS,
    // One histogram sample per request is the harness's own cost; attribution sampling is not.
    sampleRate: 1,
  };
  const harness = async (seconds: number): Promise<number> => {
    const r = await runLoad({
      ...base,
      connections: CONNECTIONS,
      sessions: CONNECTIONS,
      durationMs: seconds * 1000,
    });
    const bad = r.errors.isError + r.errors.jsonrpc + r.errors.http + r.errors.timeout + r.errors.transport;
    if (bad > 0) throw new Error(`harness run had ${bad} errors: ${JSON.stringify(r.errors)}`);
    return r.completed / seconds;
  };
  const sessions: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) sessions.push(await openSession(server.url));
  let nextId = 1;
  const cannon = async (seconds: number): Promise<number> => {
    const r = await autocannonToolCalls({
      url: server.url,
      sessions,
      tool: 'echo',
      args: { x: 1 },
      connections: CONNECTIONS,
      seconds,
      firstId: nextId,
    });
    nextId = r.nextId;
    return r.rps;
  };
  console.log(`${CONNECTIONS} connections, ${SECONDS} s per side per round, ${WORKERS} harness worker(s)`);
  // The same warm-up on both sides (JIT, the mock's schema compilation).
  await harness(1);
  await cannon(1);
  const rps = { harness: [] as number[], autocannon: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      rps.harness.push(await harness(SECONDS));
      rps.autocannon.push(await cannon(SECONDS));
    } else {
      rps.autocannon.push(await cannon(SECONDS));
      rps.harness.push(await harness(SECONDS));
    }
    console.log(
      `round ${i + 1}: harness ${rps.harness[i]?.toFixed(0)} req/s, autocannon ${rps.autocannon[i]?.toFixed(0)} req/s`,
    );
  }

  const open = await runLoad({
    ...base,
    rate: OPEN_RATE,
    durationMs: OPEN_SECONDS * 1000,
    maxInFlight: 1024,
  });
  // Achieved: iterations completed per second of the schedule (dropped or failed ones are not).
  const achieved = (open.completed - totalErrors(open)) / OPEN_SECONDS;
  console.log(
    `open loop at ${OPEN_RATE} req/s for ${OPEN_SECONDS} s: scheduled ${open.scheduled}, sent ${open.sent}, ` +
      `completed ${open.completed}, dropped ${open.dropped}; response p99 ${open.histograms.find((h) => h.metric === 'mcp_harness_load_response_time')?.p99 ?? '—'} µs`,
  );
  console.log(
    `open loop achieved/target rate: ${(achieved / OPEN_RATE).toFixed(3)} (${achieved.toFixed(0)}/s)`,
  );

  const ratio = median(rps.harness) / median(rps.autocannon);
  console.log(
    `median: harness ${median(rps.harness).toFixed(0)} req/s, autocannon ${median(rps.autocannon).toFixed(0)} req/s`,
  );
  console.log(`load/autocannon throughput ratio: ${ratio.toFixed(2)}`);
  process.exitCode = ratio >= 0.9 ? 0 : 1;
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
