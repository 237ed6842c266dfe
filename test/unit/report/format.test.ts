import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMs,
  otherHistograms,
  stepHistogram,
  truncate,
} from '../../../harness/report/format.js';
import { fixtureReport } from './fixture.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 µs'],
    [850, '850 µs'],
    [999.4, '999 µs'],
    [999.6, '1 ms'],
    [1234, '1.23 ms'],
    [1200, '1.2 ms'],
    [12_345, '12.3 ms'],
    [123_456, '123 ms'],
    [999_999, '1 s'],
    [2_100_000, '2.1 s'],
    [59_000_000, '59 s'],
    [83_400_000, '1 min 23 s'],
    [3_720_000_000, '1 h 2 min'],
    [-1500, '-1.5 ms'],
    [Number.NaN, '—'],
  ])('%s µs → %s', (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });

  it('formats milliseconds too', () => {
    expect(formatMs(2100)).toBe('2.1 s');
    expect(formatMs(0.85)).toBe('850 µs');
  });
});

describe('helpers', () => {
  it('truncate marks the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('finds the step histogram and leaves the others', () => {
    const s = fixtureReport().scenarios[0]!;
    expect(stepHistogram(s, s.steps[0]!)?.metric).toBe('step_duration');
    expect(stepHistogram(s, s.steps[2]!)).toBeUndefined();
    expect(otherHistograms(s).map((h) => h.metric)).toEqual(['downstream_duration']);
  });
});
