import type { CallQuery, CallRecord } from '../../harness/schema/call-log.js';

/** Records a call log keeps by default: a long load run keeps the newest ones, in flat memory. */
export const DEFAULT_CALL_LOG_CAPACITY = 10_000;

/**
 * The call records of one mock, in order of receipt, with simple queries and
 * change listeners. Bounded: a ring buffer of `capacity` records (O(1)
 * append); once full, each new record replaces the oldest, and `evicted`
 * counts those replaced. `MCP_HARNESS_CALL_LOG_SIZE` sets the default capacity.
 */
export class CallLog {
  private ring: CallRecord[] = [];
  /** Index of the oldest record once the ring is full. */
  private head = 0;
  private listeners = new Set<(r: CallRecord) => void>();
  /** Records replaced by newer ones since the last clear. */
  evicted = 0;
  readonly capacity: number;

  constructor(capacity = defaultCallLogCapacity()) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new RangeError(`call log capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  add(record: CallRecord): CallRecord {
    if (this.ring.length < this.capacity) this.ring.push(record);
    else {
      this.ring[this.head] = record;
      this.head = (this.head + 1) % this.capacity;
      this.evicted++;
    }
    return record;
  }

  /** Tell listeners a record changed (completed, cancelled…); used to stream records out of child processes. */
  touch(record: CallRecord): void {
    for (const l of this.listeners) l(record);
  }

  onChange(listener: (r: CallRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.ring.length;
  }

  /** Records kept, oldest first, that match the query. */
  list(query: CallQuery = {}): CallRecord[] {
    const out: CallRecord[] = [];
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const r = this.ring[(this.head + i) % n] as CallRecord;
      if (
        (query.method === undefined || r.method === query.method) &&
        (query.tool === undefined || r.tool === query.tool) &&
        (query.since === undefined || r.receivedUs >= query.since)
      )
        out.push(r);
    }
    return out;
  }

  clear(): void {
    this.ring = [];
    this.head = 0;
    this.evicted = 0;
  }
}

/** The capacity a call log gets by default: `MCP_HARNESS_CALL_LOG_SIZE` (a positive integer) of `env`, else 10 000. */
export function defaultCallLogCapacity(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.MCP_HARNESS_CALL_LOG_SIZE);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_CALL_LOG_CAPACITY;
}

/** Records of several sources (instances) merged in time order, keeping the newest copy of each. */
export function mergeRecords(lists: CallRecord[][]): CallRecord[] {
  const byKey = new Map<string, CallRecord>();
  for (const list of lists) for (const r of list) byKey.set(`${r.instance}#${r.seq}`, r);
  return [...byKey.values()].sort((a, b) => a.receivedUs - b.receivedUs || a.seq - b.seq);
}
