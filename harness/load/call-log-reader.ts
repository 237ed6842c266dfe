import { defaultCallLogCapacity } from '../../mocks/server/call-log.js';
import type { Fleet } from '../../mocks/server/fleet.js';
import { traceIdOf } from '../runner/attribution.js';
import type { CallRecord } from '../schema/call-log.js';

/**
 * The sampled calls' records, read from the mocks' call logs while the load
 * runs. A call log keeps only its newest records (a ring buffer), so a long
 * run read once at the end would miss the early samples: every `everyMs` the
 * reader asks each mock for the tools/call records received since its cursor
 * (`since`, the control API's receivedUs lower bound), keeps those whose
 * trace id has the run's prefix, and moves the cursor on. A record still
 * pending holds the cursor back (it is read again once completed), but never
 * more than `lookbackUs`. Records are keyed by mock, instance and seq, so one
 * read twice is kept once (its newest version).
 */
export class CallLogReader {
  private readonly cursors = new Map<string, number>();
  private readonly records = new Map<string, CallRecord>();
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly fleet: Fleet,
    private readonly prefixes: readonly string[],
    private readonly lookbackUs: number,
  ) {}

  /** Read every `everyMs` until `stop`. */
  start(everyMs: number): void {
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.reading = this.read().then(next);
      }, everyMs);
    };
    next();
  }

  /** Stop reading periodically, read once more (what came since), and return the sampled records by trace id. */
  async stop(): Promise<Map<string, CallRecord[]>> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.reading;
    await this.read();
    const out = new Map<string, CallRecord[]>();
    for (const r of this.records.values()) {
      const id = traceIdOf(r.traceparent) as string;
      const list = out.get(id);
      if (list) list.push(r);
      else out.set(id, [r]);
    }
    return out;
  }

  /** Stop without a last read (an aborted run). */
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One read of every mock's new records; a mock that cannot answer (killed) is read next time. */
  async read(): Promise<void> {
    await Promise.all(
      [...this.fleet.mocks.entries()].map(async ([name, mock]) => {
        const since = this.cursors.get(name);
        const list = await mock
          .calls({ method: 'tools/call', ...(since !== undefined ? { since } : {}) })
          .catch(() => undefined);
        if (list && list.length > 0) this.cursors.set(name, this.take(list, since));
      }),
    );
  }

  /** Keep the sampled records of `list`; the next cursor. */
  private take(list: readonly CallRecord[], since: number | undefined): number {
    let newest = since ?? Number.NEGATIVE_INFINITY;
    let oldestPending = Number.POSITIVE_INFINITY;
    for (const r of list) {
      if (r.receivedUs > newest) newest = r.receivedUs;
      if (r.outcome === 'pending' && r.receivedUs < oldestPending) oldestPending = r.receivedUs;
      const id = traceIdOf(r.traceparent);
      if (id && this.prefixes.some((p) => id.startsWith(p)))
        this.records.set(`${r.mock}/${r.instance}/${r.seq}`, r);
    }
    return Math.max(Math.min(oldestPending, newest), newest - this.lookbackUs);
  }
}

/**
 * How often to read: about twice per filling of a call log at `recordsPerSecond`
 * (calls per second reaching one mock, at most), between 200 ms and 30 s. The
 * capacity is the mocks' default (`MCP_HARNESS_CALL_LOG_SIZE`, as the fleet
 * process started with this environment has it).
 */
export function readIntervalMs(recordsPerSecond: number | undefined): number {
  const capacity = defaultCallLogCapacity();
  if (!recordsPerSecond || !(recordsPerSecond > 0)) return 1000;
  return Math.round(Math.min(30_000, Math.max(200, (500 * capacity) / recordsPerSecond)));
}
