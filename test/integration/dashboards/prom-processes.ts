import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../../harness/target/launch.js';

/** A real Prometheus or Pushgateway started by a test on a free 127.0.0.1 port; stop() always ends it. */
export interface PromProcess {
  url: string;
  /** What the process printed (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

async function waitReady(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${log()}`);
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${log()}`);
}

async function start(
  command: string,
  args: (port: number) => string[],
  cleanup: () => Promise<void>,
): Promise<PromProcess> {
  const port = await freePort();
  const child = spawn(command, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await cleanup();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, log: () => out, stop };
}

export async function startPushgateway(): Promise<PromProcess> {
  return start(
    'prometheus-pushgateway',
    // Debian's default persistence file is shared by every instance: keep each test's pushes in memory.
    (port) => [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file='],
    async () => {},
  );
}

export interface PrometheusOptions {
  /** Scrape configs (Prometheus YAML shape); every job is scraped each second. */
  scrape: Array<Record<string, unknown>>;
  /** Absolute paths of rule files to load. */
  ruleFiles: string[];
}

/** Prometheus with a temp data dir, 1 s scrape and evaluation intervals, the given rules loaded. */
export async function startPrometheus(options: PrometheusOptions): Promise<PromProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
      rule_files: options.ruleFiles,
      scrape_configs: options.scrape,
    }),
  );
  return start(
    'prometheus',
    (port) => [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
    ],
    () => rm(dir, { recursive: true, force: true }),
  );
}

/** One instant query through Prometheus's HTTP API: the result vector (or the error). */
export async function instantQuery(
  prometheusUrl: string,
  expr: string,
): Promise<{ ok: boolean; series: number; error?: string }> {
  const r = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`, {
    signal: AbortSignal.timeout(5000),
  });
  const body = (await r.json()) as { status: string; error?: string; data?: { result?: unknown[] } };
  if (body.status !== 'success') return { ok: false, series: 0, error: body.error ?? `HTTP ${r.status}` };
  return { ok: true, series: body.data?.result?.length ?? 0 };
}
