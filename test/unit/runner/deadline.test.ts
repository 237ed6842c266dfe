import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineError, deadlineSignal, raceSignal, sleep } from '../../../harness/runner/deadline.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeadlineError', () => {
  it('carries the bound and what timed out', () => {
    const e = new DeadlineError(250, 'tracker.get_issue');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DeadlineError');
    expect(e.ms).toBe(250);
    expect(e.what).toBe('tracker.get_issue');
    expect(e.message).toBe('tracker.get_issue: no response within the 250 ms step deadline');
  });
});

describe('deadlineSignal', () => {
  it('aborts with a DeadlineError after ms, not before', () => {
    const parent = new AbortController();
    const d = deadlineSignal(parent.signal, 100, 'step');
    vi.advanceTimersByTime(99);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(DeadlineError);
    expect((d.signal.reason as DeadlineError).message).toBe(
      'step: no response within the 100 ms step deadline',
    );
    expect(parent.signal.aborted).toBe(false);
    d.done();
  });

  it('aborts with the parent’s reason when the parent aborts first', () => {
    const parent = new AbortController();
    const d = deadlineSignal(parent.signal, 100, 'step');
    const reason = new Error('interrupted');
    parent.abort(reason);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBe(reason);
    // The later deadline does not replace the reason.
    vi.advanceTimersByTime(200);
    expect(d.signal.reason).toBe(reason);
    d.done();
  });

  it('is aborted at once under an already aborted parent', () => {
    const reason = new Error('gone');
    const d = deadlineSignal(AbortSignal.abort(reason), 100, 'step');
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBe(reason);
    d.done();
  });

  it('done() clears the timer and detaches from the parent', () => {
    const parent = new AbortController();
    const d = deadlineSignal(parent.signal, 100, 'step');
    expect(vi.getTimerCount()).toBe(1);
    d.done();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(d.signal.aborted).toBe(false);
    parent.abort(new Error('late'));
    expect(d.signal.aborted).toBe(false);
  });
});

describe('raceSignal', () => {
  it('resolves with the promise when it settles first', async () => {
    const controller = new AbortController();
    await expect(raceSignal(Promise.resolve(42), controller.signal)).resolves.toBe(42);
    await expect(raceSignal(Promise.reject(new Error('boom')), controller.signal)).rejects.toThrow('boom');
  });

  it('rejects with the signal’s reason when it aborts first', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const raced = raceSignal(never, controller.signal);
    const reason = new DeadlineError(5, 'x');
    controller.abort(reason);
    await expect(raced).rejects.toBe(reason);
  });

  it('rejects at once on an already aborted signal', async () => {
    const reason = new Error('already');
    await expect(raceSignal(Promise.resolve(1), AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('a deadline wins over a slow promise', async () => {
    const parent = new AbortController();
    const d = deadlineSignal(parent.signal, 50, 'slow');
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('late'), 100));
    const raced = raceSignal(slow, d.signal);
    const settled = expect(raced).rejects.toBeInstanceOf(DeadlineError);
    await vi.advanceTimersByTimeAsync(50);
    await settled;
    d.done();
  });
});

describe('sleep', () => {
  it('resolves after ms', async () => {
    const controller = new AbortController();
    let done = false;
    const p = sleep(100, controller.signal).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it('rejects early with the reason when the signal aborts, clearing its timer', async () => {
    const controller = new AbortController();
    const p = sleep(10_000, controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once on an already aborted signal', async () => {
    const reason = new Error('already');
    await expect(sleep(100, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('sleep: the one sleep of the harness and the mocks', () => {
  it('serves the full delay by performance.now() when its timer fires early (re-armed for the rest)', async () => {
    // Start half a millisecond into a timer tick: the 100 ms timer fires at 99.5 ms of the sleep.
    await vi.advanceTimersByTimeAsync(0.5);
    const t0 = performance.now();
    let sleptMs: number | undefined;
    const p = sleep(100).then(() => {
      sleptMs = performance.now() - t0;
    });
    await vi.advanceTimersByTimeAsync(99.6);
    expect(sleptMs).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(sleptMs).toBeGreaterThanOrEqual(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends when any of several signals aborts, with that one’s reason, clearing its timer', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const p = sleep(10_000, [a.signal, b.signal]);
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('stopped');
    b.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    a.abort(new Error('later')); // detached: nothing happens
  });

  it('rejects with options.reason() instead of the signal’s (a mock’s MCP cancellation)', async () => {
    const a = new AbortController();
    const cancelled = new Error('request cancelled');
    const p = sleep(10_000, [a.signal], { reason: () => cancelled });
    a.abort(new Error('client'));
    await expect(p).rejects.toBe(cancelled);
    await expect(sleep(5, [AbortSignal.abort()], { reason: () => cancelled })).rejects.toBe(cancelled);
  });

  it('quiet: resolves when the signal aborts, or at once when already aborted', async () => {
    const a = new AbortController();
    const p = sleep(10_000, a.signal, { quiet: true });
    a.abort(new Error('check over'));
    await expect(p).resolves.toBeUndefined();
    await expect(sleep(100, AbortSignal.abort(), { quiet: true })).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});
