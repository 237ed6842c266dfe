import { describe, expect, it } from 'vitest';
import {
  baselineAt,
  median,
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
