import { Pushgateway, Registry } from 'prom-client';
import { promText } from '../harness/report/prom-text.js';
import type { RunReport } from '../harness/schema/result.js';
import { createProbeMetrics } from './metrics.js';
import type { ProbeResult } from './result.js';

/** Job names in the Pushgateway (docs/probe.md). */
export const PUSH_JOBS = {
  probe: 'mcp_harness_probe',
  run: 'mcp_harness_run',
  check: 'mcp_harness_check',
} as const;

const PUSH_TIMEOUT_MS = 10_000;

/** Add a registry's metrics to a Pushgateway group (POST: other groups and metrics stay). */
export async function pushRegistry(
  url: string,
  registry: Registry,
  job: string,
  groupings: Record<string, string> = {},
): Promise<void> {
  const gateway = new Pushgateway(url.replace(/\/+$/, ''), { timeout: PUSH_TIMEOUT_MS }, registry);
  try {
    await gateway.pushAdd({ jobName: job, groupings });
  } catch (e) {
    throw new Error(`push to ${url} failed: ${(e as Error).message}`, { cause: e });
  }
}

/** One round of probes: each target its own group (`target`), so targets replace only their own series. */
export async function pushProbeResults(url: string, results: readonly ProbeResult[]): Promise<void> {
  const byTarget = new Map<string, ProbeResult[]>();
  for (const r of results) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
  for (const [target, rs] of byTarget) {
    const registry = new Registry();
    const labelNames = [...new Set(rs.flatMap((r) => Object.keys(r.labels)))].sort();
    const metrics = createProbeMetrics(registry, labelNames);
    for (const r of rs) metrics.record(r);
    await pushRegistry(url, registry, PUSH_JOBS.probe, { target });
  }
}

/** A run's or check's results: check status and step durations, in the harness's metric names. */
export async function pushRunReport(url: string, report: RunReport, job: string): Promise<void> {
  await pushRegistry(url, promText(report).registry, job);
}

/** `run --push` / `check --push`: a failed push is said on stderr and does not change the run's verdict. */
export async function pushOrWarn(url: string, report: RunReport, command: 'run' | 'check'): Promise<void> {
  try {
    await pushRunReport(url, report, PUSH_JOBS[command]);
    process.stderr.write(`pushed to ${url} (job ${PUSH_JOBS[command]})\n`);
  } catch (e) {
    process.stderr.write(`warning: ${(e as Error).message}\n`);
  }
}
