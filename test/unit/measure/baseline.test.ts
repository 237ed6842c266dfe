import { describe, expect, it } from 'vitest';
import {
  baselineAt,
  median,
  paceOf,
  quantile,
  spreadOf,
  type TransportBaseline,
  warmDiffs,
} from '../../../harness/measure/baseline.js';
import { callCountOf, concurrencyOf, roundSizeFor } from '../../../harness/runner/calibrate.js';
import type { PlannedStep } from '../../../harness/runner/plan-types.js';

const round = (t: number, concurrency: number, diffs: number[]) => ({ t, concurrency, diffs });

describe('baselineAt', () => {
  const tb: TransportBaseline = {
    cold: [900, 700, 650],
    rounds: [
      round(1_000, 1, [500, 510, 490]),
      round(1_000, 4, [800, 820]),
      round(11_000, 1, [600, 610, 590]),
    ],
  };

  it('charges the first calls on a connection their cold cost, by index', () => {
    expect(baselineAt(tb, { t: 5_000, concurrency: 1, callIndex: 0 })).toBe(900);
    expect(baselineAt(tb, { t: 5_000, concurrency: 1, callIndex: 2 })).toBe(650);
  });

  it('interpolates the warm cost in time between the rounds around the call', () => {
    expect(baselineAt(tb, { t: 1_000, concurrency: 1, callIndex: 10 })).toBe(500);
    expect(baselineAt(tb, { t: 6_000, concurrency: 1, callIndex: 10 })).toBe(550);
    expect(baselineAt(tb, { t: 20_000, concurrency: 1, callIndex: 10 })).toBe(600);
    expect(baselineAt(tb, { t: 0, concurrency: 1, callIndex: 10 })).toBe(500);
  });

  it('uses the level measured nearest the call’s concurrency (concurrent calls skip the cold costs)', () => {
    expect(baselineAt(tb, { t: 1_000, concurrency: 4, callIndex: 0 })).toBe(810);
    expect(baselineAt(tb, { t: 1_000, concurrency: 3, callIndex: 10 })).toBe(810);
    expect(baselineAt({ cold: [], rounds: [] }, { t: 0, concurrency: 1, callIndex: 0 })).toBeUndefined();
  });

  it('pools warm calls at one concurrency; spread is half the interquartile range', () => {
    expect(warmDiffs(tb)).toEqual([500, 510, 490, 600, 610, 590]);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(quantile([0, 10, 20, 30, 40], 0.25)).toBe(10);
    expect(spreadOf([0, 10, 20, 30, 40])).toBe(10);
    expect(spreadOf([5])).toBe(0);
  });
});

describe('concurrencyOf', () => {
  const call = (name: string): PlannedStep => ({
    kind: 'call',
    name,
    path: name,
    timeoutMs: 1,
    tool: 'a.b',
    args: {},
    expect: {},
  });
  it('is the widest parallel group (a repeat inside one runs its calls one after another)', () => {
    expect(concurrencyOf([call('a'), call('b')])).toBe(1);
    const repeat: PlannedStep = {
      kind: 'repeat',
      name: 'r',
      path: 'r',
      timeoutMs: 1,
      times: 5,
      steps: [call('x')],
    };
    const group: PlannedStep = {
      kind: 'parallel',
      name: 'p',
      path: 'p',
      timeoutMs: 1,
      steps: [call('c'), call('d'), repeat],
    };
    expect(concurrencyOf([call('a'), group])).toBe(3);
    expect(concurrencyOf([{ ...repeat, steps: [group] }])).toBe(3);
  });

  it('calibration rounds grow with the calls a scenario makes (40 to 250 per round)', () => {
    const repeat: PlannedStep = {
      kind: 'repeat',
      name: 'r',
      path: 'r',
      timeoutMs: 1,
      times: 300,
      steps: [call('x')],
    };
    const group: PlannedStep = {
      kind: 'parallel',
      name: 'p',
      path: 'p',
      timeoutMs: 1,
      steps: [call('c'), call('d')],
    };
    expect(callCountOf([call('a'), group, repeat])).toBe(303);
    expect(roundSizeFor(callCountOf([call('a')]))).toBe(40);
    expect(roundSizeFor(303)).toBe(152);
    expect(roundSizeFor(10_000)).toBe(250);
  });
});

describe('pace', () => {
  it('is the median busy gap between sequential calls; waits, overlaps and parallel calls are left out', () => {
    const c = (t0: number, t1: number, concurrent = false) => ({ t0, t1, concurrent });
    expect(paceOf([])).toBeUndefined();
    expect(paceOf([c(0, 100)])).toBeUndefined();
    // gaps 20, 40, 30 (a 9 ms wait and two parallel calls do not count)
    const calls = [c(0, 100), c(120, 200), c(240, 300), c(330, 400), c(9_400, 9_500), c(9_500, 9_600, true)];
    expect(paceOf(calls)).toBe(30);
  });

  it('rounds measured at the steps’ pace are preferred to tight-loop ones, for the cost and its spread', () => {
    const tb: TransportBaseline = {
      cold: [],
      rounds: [round(1_000, 1, [500, 500, 500]), { ...round(9_000, 1, [650, 660, 640]), gapUs: 120 }],
    };
    // Without pacing, a call at t=5000 would be charged the interpolation (575).
    expect(baselineAt(tb, { t: 5_000, concurrency: 1, callIndex: 10 })).toBe(650);
    expect(warmDiffs(tb)).toEqual([650, 660, 640]);
    const unpaced = { cold: [], rounds: [round(1_000, 1, [500]), round(9_000, 1, [650])] };
    expect(baselineAt(unpaced, { t: 5_000, concurrency: 1, callIndex: 10 })).toBe(575);
  });
});
