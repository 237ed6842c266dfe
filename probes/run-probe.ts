import { nowUs, sinceUs } from '../harness/measure/clock.js';
import type { ProtocolChoice } from '../harness/schema/target.js';
import { type Connection, connectEndpoint } from '../harness/target/connect.js';
import { withTimeout } from '../harness/target/timeout.js';
import { AnswerTooLarge, capEndpoint } from './byte-cap.js';
import { classify, ProbeTimeout } from './classify.js';
import { type ModuleSpec, moduleOf } from './modules/registry.js';
import type { ModuleOutcome, PreviousStore, ProbeContext } from './modules/types.js';
import type { Phase, ProbeResult } from './result.js';
import type { ProbeTarget } from './targets.js';

export interface RunProbeOptions {
  /** Catalogues of previous probes (drift without a snapshot); a fresh store forgets them. */
  previous?: PreviousStore;
  updateSnapshots?: boolean;
  /** Ends the probe early (the daemon stopping). */
  signal?: AbortSignal;
}

/** How long closing a probe's connection may take before the probe returns anyway. */
const CLOSE_BOUND_MS = 2_000;

/**
 * Run one module against one target. Always returns a result, at the latest at the target's
 * timeout: a hung target, an endless stream, an answer over maxBytes, a dying process or a
 * TLS failure each fails the probe with its kind and reason. The connection is always closed.
 */
export async function runProbe(
  target: ProbeTarget,
  moduleName: string,
  spec: ModuleSpec,
  options: RunProbeOptions = {},
): Promise<ProbeResult> {
  const startedAt = new Date().toISOString();
  const t0 = nowUs();
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new ProbeTimeout(target.timeoutMs)), target.timeoutMs);
  const stop = () => ac.abort(options.signal?.reason ?? new Error('the probe was stopped'));
  options.signal?.addEventListener('abort', stop, { once: true });
  const phasesUs: ProbeResult['phasesUs'] = {};
  const callsUs: number[] = [];
  let connecting: Promise<Connection> | undefined;
  const cap = capEndpoint(target.endpoint, {
    max: target.maxBytes,
    used: 0,
    onExceeded: () => ac.abort(new AnswerTooLarge(target.maxBytes)),
  });
  const phase = async <T>(name: Phase, fn: () => Promise<T>): Promise<T> => {
    const p0 = nowUs();
    try {
      return await fn();
    } finally {
      phasesUs[name] = (phasesUs[name] ?? 0) + sinceUs(p0);
    }
  };
  const remainingMs = () => Math.max(1, target.timeoutMs - (nowUs() - t0) / 1000);
  const connect = (protocol?: ProtocolChoice) => {
    connecting ??= (async () => {
      const c0 = nowUs();
      let firstSent: number | undefined;
      const conn = await connectEndpoint(cap.endpoint, {
        timeoutMs: remainingMs(),
        protocol,
        signal: ac.signal,
        label: `target ${target.name}`,
        onMessage: (direction) => {
          if (direction === 'sent' && firstSent === undefined) firstSent = nowUs();
        },
      });
      const sent = firstSent ?? c0;
      phasesUs.connect = sent - c0;
      phasesUs.initialize = nowUs() - sent;
      return conn;
    })();
    return connecting;
  };
  const previous = options.previous ?? new Map<string, unknown>();
  const ctx: ProbeContext = {
    target,
    moduleName,
    signal: ac.signal,
    remainingMs,
    connect,
    phase,
    observeCall: (us) => callsUs.push(us),
    previous,
    updateSnapshots: options.updateSnapshots ?? false,
  };
  let outcome: ModuleOutcome;
  try {
    if (ac.signal.aborted) throw ac.signal.reason;
    const work = moduleOf(spec.kind).run(spec, ctx);
    work.catch(() => {}); // settles after the race when the deadline won
    const aborted = new Promise<never>((_, reject) =>
      ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true }),
    );
    outcome = await Promise.race([work, aborted]);
  } catch (err) {
    // The deadline or the byte cap explains a failure better than what it caused (an aborted fetch).
    const { kind, reason } = classify(ac.signal.aborted ? ac.signal.reason : err);
    outcome = { ok: false, kind, reason };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
  const conn = await connecting?.catch(() => undefined);
  if (!outcome.ok && conn?.pid !== undefined && outcome.kind === 'connect' && !alive(conn.pid)) {
    const tail = conn.stderr(3);
    outcome = {
      ...outcome,
      kind: 'process_exit',
      reason: `the server process exited: ${outcome.reason}${tail.length ? `; last stderr lines: ${tail.join(' | ')}` : ''}`,
    };
  }
  if (conn) await withTimeout(conn.close(), CLOSE_BOUND_MS);
  cap.release();
  return {
    target: target.name,
    module: moduleName,
    labels: target.labels,
    success: outcome.ok,
    durationUs: sinceUs(t0),
    phasesUs,
    kind: outcome.ok ? undefined : (outcome.kind ?? 'protocol'),
    reason: outcome.ok ? undefined : (outcome.reason ?? 'failed'),
    tools: outcome.tools,
    changed: outcome.changed,
    catalogHash: outcome.catalogHash,
    callsUs,
    details: outcome.details ?? [],
    startedAt,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
