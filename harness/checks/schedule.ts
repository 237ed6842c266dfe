import { sleep } from '../runner/deadline.js';
import type { Endpoint } from '../schema/target.js';
import { type OpenSessionOptions, openSession, type Session } from './session.js';
import type { TranscriptRelay } from './transcript.js';
import type { Check } from './types.js';

/** Checks run at once by default (each on a session of its own). */
export const DEFAULT_CONCURRENCY = 2;

/**
 * The order a run takes: first the checks that may share the SUT (each on
 * its own session, `concurrency` at a time), then the others one by one,
 * those that kill fleet servers last (a SUT they leave broken is relaunched
 * once, not before every later check).
 */
export interface Schedule {
  /** Units of checks that may share the SUT; a unit's checks run one after the other (see Check.uses). */
  together: Check[][];
  alone: Check[];
}

/** Why checks cannot share this SUT (undefined: they can). */
export function whyAlone(
  concurrency: number,
  endpoint: Endpoint | undefined,
  routed: boolean,
): string | undefined {
  if (concurrency <= 1) return 'one check at a time was asked for';
  if (!endpoint) return 'no single endpoint to open sessions to';
  if (endpoint.transport === 'stdio') return 'a stdio SUT has one session';
  if (routed) return 'the SUT is reached through meta-tools (code mode or an access adapter)';
  return undefined;
}

export function schedule(checks: readonly Check[], shareable: boolean): Schedule {
  const shared = shareable ? checks.filter((c) => c.concurrent === true) : [];
  const units = new Map<string, Check[]>();
  for (const c of shared) {
    const key = c.uses ?? c.id;
    units.set(key, [...(units.get(key) ?? []), c]);
  }
  const rest = checks.filter((c) => !shared.includes(c));
  return {
    together: [...units.values()],
    alone: shareable ? [...rest.filter((c) => !c.disruptive), ...rest.filter((c) => c.disruptive)] : rest,
  };
}

/**
 * Run `items` in at most `limit` lanes at once. Each lane opens one resource
 * (a session) before its first item and closes it after its last; a lane
 * that cannot open takes no items, and when no lane could, the items are
 * handed over with `undefined`.
 */
export async function lanes<T, R extends { close(): Promise<void> }>(
  items: readonly T[],
  limit: number,
  lane: { open(): Promise<R>; run(item: T, resource: R | undefined): Promise<void> },
): Promise<void> {
  let next = 0;
  const one = async () => {
    const resource = await lane.open().catch(() => undefined);
    if (!resource) return;
    try {
      while (next < items.length) await lane.run(items[next++] as T, resource);
    } finally {
      await resource.close().catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, one));
  while (next < items.length) await lane.run(items[next++] as T, undefined);
}

/**
 * A lane's session, as good as the main one: it lists (at least) as many
 * tools as the main session did when the SUT was opened. A gateway that
 * starts downstreams per session may still be starting them (polled for
 * 3 s), or may have given up on one for this session: then the session is
 * closed and another tried, three times at most; after that the lane does
 * not open, and its checks run alone on the main session (never on a
 * session that sees less than the main one).
 */
export async function openLane(
  endpoint: Endpoint,
  timeoutMs: number,
  mainTools: number,
  relay: TranscriptRelay | undefined,
  protocol: OpenSessionOptions['protocol'],
  signal?: AbortSignal,
): Promise<Session> {
  for (let attempt = 1; ; attempt++) {
    const s = await openSession(endpoint, {
      timeoutMs,
      label: 'check lane',
      onMessage: relay?.observer,
      protocol,
    });
    const until = performance.now() + 3_000;
    let listed = -1;
    for (;;) {
      listed = await s.tools().then(
        (t) => t.length,
        () => -1,
      );
      if (listed >= mainTools || performance.now() >= until || signal?.aborted) break;
      await sleep(50, signal).catch(() => {});
    }
    if (listed >= mainTools) return s;
    await s.close().catch(() => {});
    if (attempt >= 3 || signal?.aborted)
      throw new Error(`a new session lists ${listed} tools, the main session ${mainTools}`);
  }
}
