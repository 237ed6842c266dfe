import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fleet } from '../../mocks/server/fleet.js';
import { median, type TransportBaseline } from '../measure/baseline.js';
import { nowUs } from '../measure/clock.js';
import type { McpTracing } from '../measure/otel.js';
import { injectTraceparent } from '../measure/trace-context.js';
import type { Endpoint } from '../schema/target.js';
import { type Connection, connectEndpoint } from '../target/connect.js';
import { calibrationFleet, type Placement, type ResponseMode } from './calibration-fleet.js';
import { endpointOf } from './fleet-endpoints.js';
import type { PlannedStep } from './plan-types.js';

/**
 * The harness's own cost of one call over a transport: its SDK client, the
 * loopback hop and the server's framing, i.e. end-to-end minus the service
 * time a mock records for a tool that does nothing. Subtracting it from
 * end-to-end − downstream leaves what the SUT adds. A calibration mock per
 * transport is called the way steps call (a client span, its traceparent in
 * `_meta`, the step's timeout), at every concurrency the scenario uses, in
 * rounds before, between and after the steps; the first calls on a fresh
 * connection are measured on their own (see measure/baseline.ts).
 */
export type Transport = Endpoint['transport'];
export type Baselines = Partial<Record<Transport, number>>;

export interface Calibration {
  /**
   * One round per transport and concurrency level (`samples` calls each, after
   * a warm-up the first time). `gapUs`: the steps' pace (see paceOf), replayed
   * as a busy pause after each call at concurrency 1.
   */
  measure(samples?: number, gapUs?: number): Promise<void>;
  /** Everything measured so far, per transport. */
  model(): Partial<Record<Transport, TransportBaseline>>;
  close(): Promise<void>;
}

export interface CalibrationOptions {
  tracing: McpTracing;
  /** Concurrency levels to calibrate (1 always). */
  concurrency?: Iterable<number>;
  timeoutMs?: number;
  /** Where the calibration mocks run (see calibration-fleet.ts); default `local`. */
  placement?: Placement;
  /** How the target's HTTP endpoints answer (see responseModeOf); the calibration mock does the same. */
  response?: ResponseMode;
  /** The run's fleet: hosts the calibration mock when the placement is `fleet`. */
  host?: Fleet;
}

/**
 * Warm-up before the first measured call: the calibration mock may be a
 * fresh process whose code is not optimised yet, and a first round measured
 * cold over-states the harness's cost for the whole run (the rounds are
 * interpolated). Batches of WARMUP_BATCH calls until one is no faster than
 * the one before (within 3 %), at least two batches, at most WARMUP_MAX_BATCHES.
 */
const WARMUP_BATCH = 50;
const WARMUP_MAX_BATCHES = 10;
/** First calls on a fresh connection measured one by one, on this many fresh connections. */
const COLD_CALLS = 5;
const COLD_CONNECTIONS = 3;

interface Probe {
  transport: Transport;
  fleet: Fleet;
  conn: Connection;
  /** Fresh connections opened with the probe, their first calls measured in the first round. */
  fresh: Connection[];
  baseline: TransportBaseline;
  warm: boolean;
}

export async function startCalibration(
  transports: ReadonlySet<Transport>,
  options: CalibrationOptions,
): Promise<Calibration> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-calibrate-'));
  const probes: Probe[] = [];
  const close = async () => {
    for (const p of probes) {
      for (const c of [p.conn, ...p.fresh]) await c.close().catch(() => {});
      await p.fleet.stop().catch(() => {});
    }
    probes.length = 0;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const transport of transports) {
      probes.push(await openProbe(transport, options, dir));
    }
  } catch (e) {
    await close();
    throw e;
  }
  const levels = [...new Set([1, ...(options.concurrency ?? [])])]
    .filter((n) => n >= 1)
    .sort((a, b) => a - b);
  // Unique across harnesses sharing a hosted calibration mock: its call log is matched by `n`.
  let seq = randomInt(2 ** 30) * 1_000_000;
  const timed = async (conn: Connection, transport: Transport): Promise<{ n: number; e2e: number }> => {
    const n = ++seq;
    const span = options.tracing.startClientSpan({ method: 'tools/call', toolName: 'noop', transport });
    const meta = injectTraceparent({}, span)._meta;
    const t0 = nowUs();
    try {
      const result = await conn.client.callTool(
        { name: 'noop', arguments: { n }, _meta: meta },
        { timeout: options.timeoutMs ?? 10_000 },
      );
      options.tracing.endSpan(span, { result });
    } catch (error) {
      options.tracing.endSpan(span, { error });
    }
    return { n, e2e: nowUs() - t0 };
  };
  /** `calls` sequential calls on each of `concurrency` loops sharing one connection, `gapUs` apart. */
  const loop = async (p: Probe, conn: Connection, calls: number, concurrency: number, gapUs = 0) => {
    const loops = Array.from({ length: concurrency }, async () => {
      const out: Array<{ n: number; e2e: number }> = [];
      for (let i = 0; i < calls; i++) {
        out.push(await timed(conn, p.transport));
        if (gapUs > 0) busyFor(gapUs);
      }
      return out;
    });
    const timings = (await Promise.all(loops)).flat();
    return diffsOf(p.fleet, timings);
  };
  return {
    async measure(samples = 40, gapUs) {
      for (const p of probes) {
        if (!p.warm) {
          await warmUp((calls) => loop(p, p.conn, calls, 1));
          p.baseline.cold = await coldCosts(p, (conn) => loop(p, conn, COLD_CALLS, 1));
          p.warm = true;
        }
        for (const concurrency of levels) {
          const t0 = nowUs();
          const gap = concurrency === 1 ? gapUs : undefined;
          const diffs = await loop(p, p.conn, Math.ceil(samples / concurrency), concurrency, gap);
          const t = Math.round((t0 + nowUs()) / 2);
          p.baseline.rounds.push({ t, concurrency, diffs, ...(gap === undefined ? {} : { gapUs: gap }) });
        }
        await p.fleet.mocks.get('calibration')?.clearCalls();
      }
    },
    model() {
      return Object.fromEntries(probes.map((p) => [p.transport, p.baseline]));
    },
    close,
  };
}

/** The harness's own work between two calls, replayed: the thread stays busy, as it is between steps. */
function busyFor(us: number): void {
  const until = nowUs() + us;
  while (nowUs() < until) {}
}

/** Call in batches until the per-call cost stops falling (see WARMUP_BATCH). */
async function warmUp(batch: (calls: number) => Promise<number[]>): Promise<void> {
  let previous = Number.POSITIVE_INFINITY;
  for (let i = 0; i < WARMUP_MAX_BATCHES; i++) {
    const cost = median(await batch(WARMUP_BATCH));
    if (i > 0 && cost >= previous * 0.97) return;
    previous = Math.min(previous, cost);
  }
}

/** How many calls a scenario makes (a repeat's calls times its count). */
export function callCountOf(steps: readonly PlannedStep[]): number {
  const count = (s: PlannedStep): number => {
    if (s.kind === 'call') return 1;
    if (s.kind === 'parallel') return s.steps.reduce((n, c) => n + count(c), 0);
    if (s.kind === 'repeat') return s.times * s.steps.reduce((n, c) => n + count(c), 0);
    return 0;
  };
  return steps.reduce((n, s) => n + count(s), 0);
}

/**
 * Calls per calibration round for a scenario of `calls` calls: half as many
 * (the rounds before and after together match the steps), 40 to 250, so the
 * baseline's median is no noisier than the p50 it is subtracted from.
 */
export function roundSizeFor(calls: number): number {
  return Math.min(250, Math.max(40, Math.ceil(calls / 2)));
}

/** The widest a scenario's calls run at once: the sum over a parallel group's branches. */
export function concurrencyOf(steps: readonly PlannedStep[]): number {
  const width = (s: PlannedStep): number => {
    if (s.kind === 'call') return 1;
    if (s.kind === 'parallel') return s.steps.reduce((n, c) => n + width(c), 0);
    if (s.kind === 'repeat') return Math.max(0, ...s.steps.map(width));
    return 0;
  };
  return Math.max(1, ...steps.map(width));
}

/** End-to-end minus the mock's own service time, per call (calls the mock did not complete are left out). */
async function diffsOf(fleet: Fleet, timings: Array<{ n: number; e2e: number }>): Promise<number[]> {
  const mock = fleet.mocks.get('calibration');
  const deadline = Date.now() + 2_000;
  for (;;) {
    const records = (await mock?.calls({ tool: 'noop' })) ?? [];
    const byN = new Map(records.map((r) => [r.arguments?.n, r]));
    const done = timings.filter((x) => byN.get(x.n)?.completedUs !== undefined);
    if (done.length === timings.length || Date.now() >= deadline) {
      return done.map((x) => {
        const r = byN.get(x.n) as { receivedUs: number; completedUs: number };
        return x.e2e - (r.completedUs - r.receivedUs);
      });
    }
    // stdio mocks push their records through the control plane: give them a moment.
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The first calls on fresh connections (fresh sessions; over stdio fresh mock
 * processes), opened with the probe and warmed like a target's (tools listed,
 * pings), so they have aged about as long as the target's connections when
 * the steps start: per call index, the median over COLD_CONNECTIONS
 * connections, so one scheduling hiccup is not taken for a cold path.
 */
async function coldCosts(p: Probe, run: (conn: Connection) => Promise<number[]>): Promise<number[]> {
  const samples: number[][] = [];
  for (const conn of p.fresh.splice(0)) {
    try {
      samples.push(await run(conn));
    } finally {
      await conn.close().catch(() => {});
    }
  }
  const calls = Math.min(...samples.map((s) => s.length));
  return Array.from({ length: calls }, (_, i) => Math.round(median(samples.map((s) => s[i] as number))));
}

async function openProbe(transport: Transport, options: CalibrationOptions, dir: string): Promise<Probe> {
  const placement = options.placement ?? 'local';
  const fleet = await calibrationFleet(transport, placement, dir, options.response, options.host);
  const probe: Probe = {
    transport,
    fleet,
    conn: undefined as never,
    fresh: [],
    baseline: { cold: [], rounds: [] },
    warm: false,
  };
  try {
    probe.conn = await connectProbe(fleet, dir, transport);
    for (let i = 0; i < COLD_CONNECTIONS; i++) {
      const conn = await connectProbe(fleet, dir, transport);
      probe.fresh.push(conn);
      await conn.client.listTools().catch(() => {});
      for (let k = 0; k < 3; k++) await conn.client.ping({ timeout: 2_000 }).catch(() => {});
    }
    return probe;
  } catch (e) {
    for (const c of [probe.conn, ...probe.fresh]) await c?.close().catch(() => {});
    await fleet.stop();
    throw e;
  }
}

async function connectProbe(fleet: Fleet, dir: string, transport: Transport): Promise<Connection> {
  await fleet.writeMcpServersFile(join(dir, `${transport}.json`));
  const entry = fleet.mcpServers().mcpServers.calibration;
  if (!entry) throw new Error('calibration mock did not start');
  return connectEndpoint(endpointOf(entry), { timeoutMs: 10_000, label: 'calibration' });
}
