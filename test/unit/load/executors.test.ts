import { describe, expect, it } from 'vitest';
import { EXECUTORS, executorFor } from '../../../harness/load/executors/registry.js';
import type { OpenSchedule, Schedule } from '../../../harness/load/executors/types.js';
import { type LoadOptions, LoadOptionsSchema } from '../../../harness/schema/load.js';

const opts = (o: Record<string, unknown>): LoadOptions =>
  LoadOptionsSchema.parse({ target: 't', tool: 's.t', ...o });

/** Every intended start of an open schedule (µs). */
function arrivals(s: Schedule): number[] {
  const open = s as OpenSchedule;
  const out: number[] = [];
  for (let n = 0; ; n++) {
    const t = open.arrivalUs(n);
    if (t === undefined) return out;
    out.push(t);
  }
}

describe('executors', () => {
  it('picks the executor from what was given', () => {
    expect(executorFor(opts({ rate: 10 })).name).toBe('constant-arrival-rate');
    expect(executorFor(opts({ stages: [{ durationMs: 1000, target: 5 }] })).name).toBe(
      'ramping-arrival-rate',
    );
    expect(executorFor(opts({ connections: 2 })).name).toBe('constant-vus');
    expect(executorFor(opts({ connections: 2, iterations: 3 })).name).toBe('per-session-iterations');
    expect(executorFor(opts({ executor: 'constant-vus', rate: 3 })).name).toBe('constant-vus');
  });

  it('constant-arrival-rate: evenly spaced starts; shares interleave into the whole schedule', () => {
    const o = opts({ rate: 100, durationMs: 1000 });
    const whole = arrivals(EXECUTORS['constant-arrival-rate'].schedule(o, { index: 0, count: 1 }));
    expect(whole).toHaveLength(100);
    expect(whole.slice(0, 3)).toEqual([0, 10_000, 20_000]);
    const shares = [0, 1, 2].map((index) =>
      arrivals(EXECUTORS['constant-arrival-rate'].schedule(o, { index, count: 3 })),
    );
    expect(shares.map((s) => s.length)).toEqual([34, 33, 33]);
    expect(shares.flat().sort((a, b) => a - b)).toEqual(whole);
  });

  it('ramping-arrival-rate: the count follows the integral of a linear ramp', () => {
    const o = opts({
      stages: [
        { durationMs: 2000, target: 100 },
        { durationMs: 1000, target: 0 },
      ],
    });
    const s = EXECUTORS['ramping-arrival-rate'].schedule(o, { index: 0, count: 1 });
    const all = arrivals(s);
    // 2 s ramping 0→100 = 100 iterations, 1 s 100→0 = 50
    expect(all).toHaveLength(150);
    expect(all.filter((t) => t < 1_000_000)).toHaveLength(25); // ∫0..1s of 50·t = 25
    expect(all.every((t, i) => i === 0 || t >= (all[i - 1] as number))).toBe(true);
    expect((s as OpenSchedule).peakRate).toBe(100);
  });

  it('closed loops split sessions over workers', () => {
    const o = opts({ connections: 5, iterations: 4 });
    const vus = [0, 1].map((index) => EXECUTORS['per-session-iterations'].schedule(o, { index, count: 2 }));
    expect(vus.map((v) => (v.loop === 'closed' ? v.vus : -1))).toEqual([3, 2]);
    expect(vus[0]?.loop === 'closed' && vus[0].iterations).toBe(4);
  });

  it('each executor names what it is missing, by option', () => {
    expect(EXECUTORS['constant-arrival-rate'].validate(opts({})).map((p) => p.path)).toEqual(['rate']);
    expect(EXECUTORS['ramping-arrival-rate'].validate(opts({})).map((p) => p.path)).toEqual(['stages']);
    expect(EXECUTORS['constant-vus'].validate(opts({})).map((p) => p.path)).toEqual(['connections']);
    expect(EXECUTORS['per-session-iterations'].validate(opts({})).map((p) => p.path)).toEqual([
      'iterations',
      'connections',
    ]);
  });
});
