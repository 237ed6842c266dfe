import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { applyShard, parseShard, shardShareOf } from '../../../harness/load/shard.js';
import { LoadOptionsSchema } from '../../../harness/schema/load.js';

const base = LoadOptionsSchema.parse({ target: 't.yaml', tool: 'a.b', rate: 1000 });

describe('parseShard', () => {
  it('reads i/n with 1 ≤ i ≤ n', () => {
    expect(parseShard('2/4')).toEqual({ value: { index: 2, count: 4 }, problems: [] });
    expect(parseShard(' 1 / 1 ').value).toEqual({ index: 1, count: 1 });
  });

  it('refuses 3/2, 0/2, and text that is not i/n', () => {
    expect(parseShard('3/2').problems).toEqual([
      { path: '--shard', message: "expected i/n with 1 ≤ i ≤ n, got '3/2'" },
    ]);
    expect(parseShard('0/2').problems).toHaveLength(1);
    expect(parseShard('2').problems).toEqual([
      { path: '--shard', message: "expected i/n such as 2/4, got '2'" },
    ]);
  });
});

describe('splitting a load among shards', () => {
  it('gives each shard an integer part, the parts adding up to the whole', () => {
    for (const total of [1, 7, 32, 101]) {
      for (const count of [1, 2, 3, 5]) {
        if (total < count) continue;
        const parts = Array.from({ length: count }, (_, i) => shardShareOf(total, { index: i + 1, count }));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('divides rate, stage targets, connections, sessions and max-in-flight; same shard, same part', () => {
    const o = {
      ...base,
      stages: [{ durationMs: 1000, target: 90 }],
      connections: 10,
      sessions: 7,
      maxInFlight: 64,
    };
    const s2 = applyShard(o, { index: 2, count: 3 });
    expect(s2).toEqual(applyShard(o, { index: 2, count: 3 }));
    expect(s2.rate).toBeCloseTo(1000 / 3, 9);
    expect(s2.stages).toEqual([{ durationMs: 1000, target: 30 }]);
    expect([1, 2, 3].map((i) => applyShard(o, { index: i, count: 3 }).connections)).toEqual([4, 3, 3]);
    expect([1, 2, 3].map((i) => applyShard(o, { index: i, count: 3 }).sessions)).toEqual([3, 2, 2]);
    expect(s2.maxInFlight).toBe(21);
    expect(s2.durationMs).toBe(o.durationMs);
    expect(s2.shard).toEqual({ index: 2, count: 3 });
  });

  it('leaves a 1/1 shard alone and refuses parts smaller than 1', () => {
    expect(applyShard(base, { index: 1, count: 1 })).toBe(base);
    const tooFew = { ...base, rate: undefined, connections: 2, maxInFlight: 1 };
    try {
      applyShard(tooFew, { index: 1, count: 3 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HarnessError);
      expect((e as HarnessError).exitCode).toBe(2);
      expect((e as HarnessError).problems.map((p) => p.path)).toEqual(['--connections', '--max-in-flight']);
    }
  });
});
