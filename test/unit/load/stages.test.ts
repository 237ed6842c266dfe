import { describe, expect, it } from 'vitest';
import { parseStages, stagesDurationMs } from '../../../harness/load/stages.js';

describe('parseStages', () => {
  it('reads duration:target pairs in order, units and /s allowed', () => {
    const r = parseStages('10s:100, 500ms:500/s,2m:0');
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual([
      { durationMs: 10_000, target: 100 },
      { durationMs: 500, target: 500 },
      { durationMs: 120_000, target: 0 },
    ]);
    expect(stagesDurationMs(r.value ?? [])).toBe(130_500);
  });

  it('lists every malformed stage with its index and what was expected', () => {
    const r = parseStages('10s:100,fast:5,30s,0s:10,5s:-1');
    expect(r.value).toBeUndefined();
    expect(r.problems).toEqual([
      { path: '--stages[1]', message: "expected a duration > 0 such as 10s or 500ms before ':', got 'fast'" },
      { path: '--stages[2]', message: "expected 'duration:target' such as '10s:100', got '30s'" },
      { path: '--stages[3]', message: "expected a duration > 0 such as 10s or 500ms before ':', got '0s'" },
      { path: '--stages[4]', message: "expected a target ≥ 0 such as 100 after ':', got '-1'" },
    ]);
  });

  it('refuses an empty list', () => {
    expect(parseStages(' ').problems).toHaveLength(1);
    expect(parseStages('10s:1,').problems[0]?.path).toBe('--stages[1]');
  });
});
