import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import { CallLog } from '../../../mocks/server/call-log.js';

const rec = (seq: number, tool = 'echo'): CallRecord =>
  ({
    seq,
    mock: 'm',
    instance: 'i',
    connection: 'c',
    kind: 'request',
    method: 'tools/call',
    tool,
    receivedUs: 1000 + seq,
    outcome: 'result',
    faults: [],
    sent: [],
  }) as CallRecord;

describe('bounded call log', () => {
  it('keeps every record until full, in order', () => {
    const log = new CallLog(5);
    for (let i = 0; i < 4; i++) log.add(rec(i));
    expect(log.list().map((r) => r.seq)).toEqual([0, 1, 2, 3]);
    expect(log.evicted).toBe(0);
  });

  it('once full, keeps the newest `capacity` records, oldest first, and counts the evicted', () => {
    const log = new CallLog(3);
    for (let i = 0; i < 10; i++) log.add(rec(i, i % 2 ? 'odd' : 'even'));
    expect(log.size).toBe(3);
    expect(log.list().map((r) => r.seq)).toEqual([7, 8, 9]);
    expect(log.list({ tool: 'odd' }).map((r) => r.seq)).toEqual([7, 9]);
    expect(log.list({ since: 1009 }).map((r) => r.seq)).toEqual([9]);
    expect(log.evicted).toBe(7);
    log.clear();
    expect(log.list()).toEqual([]);
    log.add(rec(42));
    expect(log.list().map((r) => r.seq)).toEqual([42]);
  });

  it('memory stays flat over a long run (100k appends into 1,000 slots)', () => {
    const log = new CallLog(1000);
    for (let i = 0; i < 100_000; i++) log.add(rec(i));
    expect(log.size).toBe(1000);
    expect(log.list()[0]?.seq).toBe(99_000);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new CallLog(0)).toThrow(RangeError);
  });
});
