/**
 * bench:probe — the probe daemon's cost at 1,000 targets. The mocks run in two processes of their
 * own (bench/servers/mock.ts), so this process's CPU time is the prober's alone.
 *
 * 1. CPU per probe, against a baseline measured in the same run, rounds alternated: the daemon's
 *    `tools` probe (connect, initialize, tools/list, close; deadline, byte cap, phases, catalogue
 *    hash) against a bare SDK client doing the same requests (new session each, same close).
 * 2. The schedule: 1,000 targets at a 15 s interval, scaled down in time (BENCH_SCALE, default 2:
 *    a 7.5 s interval), for BENCH_INTERVALS intervals: probes done, CPU, heap (after GC) and RSS per
 *    interval, and the cores 1,000 targets at 15 s would need.
 * Exit 1 when the projected cores exceed 0.5 or the heap grows more than 20 % over the run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { stringify } from 'yaml';
import { startDaemonCore } from '../probes/daemon.js';
import { loadProbeConfig, type ProbeConfig, runRound } from '../probes/index.js';
import { median, startServer } from './lib.js';

const TARGETS = Number(process.env.BENCH_TARGETS ?? 1000);
const SCALE = Number(process.env.BENCH_SCALE ?? 2);
const INTERVALS = Number(process.env.BENCH_INTERVALS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 200);
const CONCURRENCY = 32;
const REAL_INTERVAL_S = 15;
const GOAL_CORES = 0.5;
const intervalMs = (REAL_INTERVAL_S * 1000) / SCALE;
const gc = (globalThis as { gc?: () => void }).gc;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);

/** The baseline: what any prober must do per target, with nothing of the daemon around it. */
async function bareRound(urls: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++] as string;
      const client = new Client({ name: 'bench-bare', version: '0' });
      const transport = new StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport, { timeout: 10_000 });
      await client.listTools(undefined, { timeout: 10_000 });
      await transport.terminateSession().catch(() => {});
      await client.close();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function measure(fn: () => Promise<unknown>, probes: number): Promise<number> {
  gc?.();
  const c0 = cpuMs();
  await fn();
  return (cpuMs() - c0) / probes;
}

const servers = await Promise.all(
  [0, 1].map(() => startServer(join(import.meta.dirname, 'servers/mock.js'))),
);
const dir = await mkdtemp(join(tmpdir(), 'bench-probe-'));
try {
  const urls = Array.from({ length: TARGETS }, (_, i) => servers[i % servers.length]!.url);
  const file = join(dir, 'probes.yaml');
  await writeFile(
    file,
    stringify({
      defaults: { interval: intervalMs, timeout: Math.min(10_000, intervalMs), concurrency: CONCURRENCY },
      targets: urls.map((url, i) => ({
        name: `t${i}`,
        endpoint: { transport: 'http', url },
        modules: ['tools'],
      })),
    }),
  );
  const config: ProbeConfig = await loadProbeConfig(file);
  const sample: ProbeConfig = { ...config, targets: config.targets.slice(0, SAMPLE) };

  // 1. CPU per probe against the bare client, rounds alternated (a warm-up round each first).
  await runRound(sample);
  await bareRound(urls.slice(0, SAMPLE));
  const per: Record<'daemon' | 'bare', number[]> = { daemon: [], bare: [] };
  let failed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['daemon', 'bare'] as const) : (['bare', 'daemon'] as const);
    for (const side of order) {
      per[side].push(
        await measure(
          side === 'daemon'
            ? async () => {
                failed += (await runRound(sample)).filter((r) => !r.success).length;
              }
            : () => bareRound(urls.slice(0, SAMPLE)),
          SAMPLE,
        ),
      );
    }
  }
  const daemonMs = median(per.daemon);
  const bareMs = median(per.bare);
  console.log(
    `CPU per probe (tools: connect, initialize, tools/list, close; median of ${ROUNDS} rounds of ${SAMPLE}): ` +
      `daemon ${daemonMs.toFixed(2)} ms, bare SDK client ${bareMs.toFixed(2)} ms, ratio ${(daemonMs / bareMs).toFixed(2)}×` +
      (failed ? ` (${failed} probes failed)` : ''),
  );

  // 2. The schedule at 1,000 targets, scaled down in time.
  const core = await startDaemonCore(file);
  const total = async (name: string) => {
    const m = await core.registry.getSingleMetric(name)?.get();
    return (m?.values ?? []).reduce((sum, v) => sum + v.value, 0);
  };
  const done = () => total('mcp_probe_daemon_probes_total');
  const skipped = () => total('mcp_probe_daemon_probes_skipped_total');
  console.log(
    `${TARGETS} targets every ${intervalMs} ms (${REAL_INTERVAL_S} s / ${SCALE}), ${INTERVALS} intervals:`,
  );
  console.log('interval  probes  skipped  CPU ms/probe  cores   heap MiB  rss MiB');
  const heaps: number[] = [];
  const perProbe: number[] = [];
  let lastDone = await done();
  let lastSkipped = await skipped();
  let lastCpu = cpuMs();
  let lastT = performance.now();
  for (let i = 1; i <= INTERVALS; i++) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const [n, k, c, t] = [await done(), await skipped(), cpuMs(), performance.now()];
    gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    const probes = n - lastDone;
    const ms = probes > 0 ? (c - lastCpu) / probes : Number.NaN;
    const cores = (c - lastCpu) / (t - lastT);
    if (i > 1) {
      heaps.push(heapUsed);
      perProbe.push(ms);
    }
    console.log(
      `${String(i).padStart(8)}  ${String(probes).padStart(6)}  ${String(k - lastSkipped).padStart(7)}  ${ms.toFixed(2).padStart(12)}  ${cores.toFixed(2).padStart(5)}  ${mib(heapUsed).padStart(8)}  ${mib(rss).padStart(7)}`,
    );
    [lastDone, lastSkipped, lastCpu, lastT] = [n, k, c, t];
  }
  await core.stop();
  const cpuPerProbe = median(perProbe);
  const projected = (cpuPerProbe * (TARGETS / REAL_INTERVAL_S)) / 1000;
  const growth = heaps.length > 1 ? (heaps[heaps.length - 1]! - heaps[0]!) / heaps[0]! : 0;
  const ok = projected < GOAL_CORES && growth < 0.2;
  console.log(
    `${TARGETS} targets at ${REAL_INTERVAL_S} s: ${projected.toFixed(3)} cores (goal < ${GOAL_CORES}); ` +
      `heap ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% from interval 2 to ${INTERVALS}` +
      `${gc ? '' : ' (no --expose-gc: heap without a GC first)'}; ${ok ? 'goal met' : 'GOAL MISSED'}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
}
