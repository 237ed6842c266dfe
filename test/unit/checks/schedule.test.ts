import { describe, expect, it } from 'vitest';
import { lanes, schedule, whyAlone } from '../../../harness/checks/schedule.js';
import { type Check, check, pass } from '../../../harness/checks/types.js';

const make = (id: string, extra: Partial<Check> = {}): Check =>
  check({
    id,
    title: id,
    suite: 'gateway',
    specRef: 'test',
    severity: 'must',
    expected: 'x',
    run: async () => pass('x'),
    ...extra,
  });

describe('schedule', () => {
  const a = make('a', { concurrent: true });
  const p1 = make('p1', { concurrent: true, uses: 'alpha.progress' });
  const p2 = make('p2', { concurrent: true, uses: 'alpha.progress' });
  const kill = make('kill', { disruptive: true });
  const solo = make('solo');

  it('groups concurrent checks by what they use; the rest alone, disruptive ones last', () => {
    const plan = schedule([kill, a, p1, solo, p2], true);
    expect(plan.together.map((u) => u.map((c) => c.id))).toEqual([['a'], ['p1', 'p2']]);
    expect(plan.alone.map((c) => c.id)).toEqual(['solo', 'kill']);
  });

  it('a SUT that cannot be shared runs every check alone, in the given order', () => {
    const plan = schedule([kill, a, p1, solo], false);
    expect(plan.together).toEqual([]);
    expect(plan.alone.map((c) => c.id)).toEqual(['kill', 'a', 'p1', 'solo']);
  });

  it('says why checks cannot share the SUT', () => {
    const http = { transport: 'http' as const, url: 'http://127.0.0.1:1/mcp', headers: {} };
    expect(whyAlone(6, http, false)).toBeUndefined();
    expect(whyAlone(1, http, false)).toMatch(/one check at a time/);
    expect(whyAlone(6, undefined, false)).toMatch(/no single endpoint/);
    expect(whyAlone(6, { transport: 'stdio', command: 'x', args: [], env: {} } as never, false)).toMatch(
      /stdio/,
    );
    expect(whyAlone(6, http, true)).toMatch(/meta-tools/);
  });
});

describe('lanes', () => {
  it('runs at most `limit` at once, each lane on one resource it closes; a lane that cannot open gets none', async () => {
    let live = 0;
    let peak = 0;
    let opened = 0;
    let closed = 0;
    const got: Array<number | undefined> = [];
    await lanes([1, 2, 3, 4, 5, 6, 7], 3, {
      open: async () => {
        opened++;
        if (opened === 2) throw new Error('refused');
        return { id: opened, close: async () => void closed++ };
      },
      run: async (item, r) => {
        live++;
        peak = Math.max(peak, live);
        await new Promise((res) => setTimeout(res, 5));
        got.push(r ? item : undefined);
        live--;
      },
    });
    expect(peak).toBe(2); // the lane that could not open took nothing
    expect(opened).toBe(3);
    expect(closed).toBe(2);
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7].filter((x) => got.includes(x)));
    expect(got).toHaveLength(7);
  });

  it('when no lane can open, every item is handed over without one', async () => {
    const got: Array<[number, unknown]> = [];
    await lanes([1, 2, 3], 2, {
      open: async (): Promise<{ close(): Promise<void> }> => {
        throw new Error('refused');
      },
      run: async (item, r) => void got.push([item, r]),
    });
    expect(got).toEqual([
      [1, undefined],
      [2, undefined],
      [3, undefined],
    ]);
  });
});
