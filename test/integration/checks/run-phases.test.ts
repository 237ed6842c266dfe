import { afterEach, describe, expect, it } from 'vitest';
import { acquireFleet, type CheckFleet } from '../../../harness/checks/check-fleet.js';
import { runPhases } from '../../../harness/checks/run-phases.js';
import { openSut, type RunState, type Sut } from '../../../harness/checks/sut.js';
import { type Check, check, fail, pass } from '../../../harness/checks/types.js';
import type { CheckResult } from '../../../harness/schema/result.js';
import { referenceGateway } from '../../helpers/checks.js';

/**
 * The run's phases against the real reference gateway, with checks made for
 * the test: concurrent ones share the SUT on sessions of their own; when one
 * of them kills the SUT, none of their results is kept and each runs again
 * alone, so only the killer fails.
 */

let held: { fleet?: CheckFleet; sut?: { current: Sut } } = {};
afterEach(async () => {
  await held.sut?.current.target.close().catch(() => {});
  await held.fleet?.release();
  held = {};
});

async function run(checks: Check[], defects: string[] = [], concurrency = 4, onOpen?: (s: Sut) => void) {
  const spec = referenceGateway(defects);
  held.fleet = await acquireFleet(spec, undefined);
  const { fleet, mcpServersFile } = held.fleet;
  const state: RunState = { access: undefined };
  const open = () => openSut(spec, fleet, mcpServersFile, state);
  const first = await open();
  onOpen?.(first);
  held.sut = { current: first };
  const results: CheckResult[] = [];
  await runPhases(checks, {
    spec,
    fleet,
    state,
    sut: held.sut,
    open,
    concurrency,
    emit: (r) => results.push(r),
  });
  return { results, first, last: held.sut.current };
}

/** A concurrent check that records whether it ran on the run's main session, and when. */
function observer(id: string, log: Array<{ id: string; main: boolean; start: number; end: number }>) {
  return check({
    id: `gateway.test-${id}`,
    title: id,
    suite: 'gateway',
    specRef: 'test',
    severity: 'must',
    expected: 'a ping is answered',
    concurrent: true,
    async run(ctx) {
      const entry = { id, main: ctx.session === mainSession, start: performance.now(), end: Number.NaN };
      log.push(entry);
      await ctx.session?.connection.client.ping();
      await new Promise((r) => setTimeout(r, 1500));
      entry.end = performance.now();
      return pass('pinged');
    },
  });
}
let mainSession: unknown;

describe('run phases', () => {
  it('concurrent checks run at once, each on a session of its own; the others alone, after them', async () => {
    const log: Array<{ id: string; main: boolean; start: number; end: number }> = [];
    let aloneOnMain = false;
    const alone = check({
      id: 'gateway.test-alone',
      title: 'alone',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'runs on the main session',
      async run(ctx) {
        aloneOnMain = ctx.session === mainSession;
        return pass('alone');
      },
    });
    const checks = [alone, observer('a', log), observer('b', log), observer('c', log)];
    const { results } = await run(checks, [], 4, (s) => {
      mainSession = s.session;
    });

    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(log.every((e) => !e.main)).toBe(true);
    // They overlapped in time: the last one started before the first one ended.
    const firstEnd = Math.min(...log.map((e) => e.end));
    expect(Math.max(...log.map((e) => e.start))).toBeLessThan(firstEnd);
    expect(results.at(-1)?.id).toBe('gateway.test-alone');
    expect(aloneOnMain).toBe(true);
  });

  it('a check that leaves the SUT broken: it is relaunched, and the next check sees a good one', async () => {
    const breaker = check({
      id: 'gateway.test-breaker',
      title: 'breaker',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'x',
      async run(ctx) {
        // A gateway that never reconnects loses alpha for good once alpha's session expires.
        await ctx.mock('alpha').addFault({ type: 'http-status', status: 404, for: 1 });
        await ctx.session?.call('alpha__echo', { message: 'expire' });
        return pass('broke it');
      },
    });
    const next = check({
      id: 'gateway.test-next',
      title: 'next',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'alpha answers',
      async run(ctx) {
        const r = await ctx.session?.call('alpha__echo', { message: 'still there?' });
        return r?.outcome === 'ok' ? pass('alpha answers') : fail(`alpha: ${r?.outcome} ${r?.message}`);
      },
    });
    const { results, first, last } = await run([breaker, next], ['no-reconnect'], 1);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['gateway.test-breaker', 'pass'],
      ['gateway.test-next', 'pass'],
    ]);
    expect(last).not.toBe(first);
  });

  it('a SUT a check relaunched itself is not kept for the next check', async () => {
    const seen: unknown[] = [];
    const relauncher = check({
      id: 'gateway.test-relauncher',
      title: 'relauncher',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'x',
      async run(ctx) {
        await ctx.relaunch();
        seen.push(ctx.target);
        return pass('relaunched');
      },
    });
    const next = check({
      id: 'gateway.test-after',
      title: 'after',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'x',
      async run(ctx) {
        seen.push(ctx.target);
        return pass('ran');
      },
    });
    const { results } = await run([relauncher, next], [], 1);
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
  });

  it('a concurrent check that kills the SUT: the others run again alone, only it fails', async () => {
    const log: Array<{ id: string; main: boolean; start: number; end: number }> = [];
    const killer = check({
      id: 'gateway.test-killer',
      title: 'killer',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'the SUT survives a 2 MiB request',
      concurrent: true,
      async run(ctx) {
        const r = await ctx.session?.call('alpha__echo', { message: 'x'.repeat(2 * 1024 * 1024) });
        await new Promise((res) => setTimeout(res, 300));
        return r?.outcome === 'ok' ? pass('survived') : fail(`the big call: ${r?.outcome}`);
      },
    });
    const checks = [observer('a', log), killer, observer('b', log)];
    const { results, first, last } = await run(checks, ['oversize-crash'], 3);
    mainSession = undefined;

    expect(last).not.toBe(first); // relaunched after the shared phase
    expect(Object.fromEntries(results.map((r) => [r.id, r.status]))).toEqual({
      'gateway.test-a': 'pass',
      'gateway.test-killer': 'fail',
      'gateway.test-b': 'pass',
    });
    // a and b started twice: together (results thrown away), then alone.
    expect(log.filter((e) => e.id === 'a')).toHaveLength(2);
    expect(log.filter((e) => e.id === 'b')).toHaveLength(2);
  });
});
