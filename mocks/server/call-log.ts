import type { CallQuery, CallRecord } from '../../harness/schema/call-log.js';

/** An append-only list of call records with simple queries and change listeners. */
export class CallLog {
  private records: CallRecord[] = [];
  private listeners = new Set<(r: CallRecord) => void>();

  add(record: CallRecord): CallRecord {
    this.records.push(record);
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

  list(query: CallQuery = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (query.method === undefined || r.method === query.method) &&
        (query.tool === undefined || r.tool === query.tool) &&
        (query.since === undefined || r.receivedUs >= query.since),
    );
  }

  clear(): void {
    this.records = [];
  }
}

/** Records of several sources (instances) merged in time order, keeping the newest copy of each. */
export function mergeRecords(lists: CallRecord[][]): CallRecord[] {
  const byKey = new Map<string, CallRecord>();
  for (const list of lists) for (const r of list) byKey.set(`${r.instance}#${r.seq}`, r);
  return [...byKey.values()].sort((a, b) => a.receivedUs - b.receivedUs || a.seq - b.seq);
}
