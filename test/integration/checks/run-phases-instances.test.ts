import { afterEach, describe, expect, it } from 'vitest';
import { acquireFleet, type CheckFleet } from '../../../harness/checks/check-fleet.js';
import { openInstance } from '../../../harness/checks/instance.js';
import { type PhaseInput, runPhases } from '../../../harness/checks/run-phases.js';
import { openSut, type RunState, type Sut } from '../../../harness/checks/sut.js';
import { type Check, check, fail, pass } from '../../../harness/checks/types.js';
import type { CheckResult } from '../../../harness/schema/result.js';
import { referenceGateway } from '../../helpers/checks.js';

/**
 * The shared phase on a second instance (its own reference gateway and
 * fleet) while the other checks run one by one on the first: they overlap,
 * never share a SUT or a fleet, the second instance is closed at the end, a
 * check that kills it runs again alone on the first (only it fails), and
 * without a second instance every check still runs, alone.
 */

let held: { fleet?: CheckFleet; sut?: { current: Sut } } = {};
/** Why another instance did not open (a test that needs one shows it). */
const failedToOpen: string[] = [];
afterEach(async () => {
  await held.sut?.current.target.close().catch(() => {});
  await held.fleet?.release();
  held = {};
});

interface Seen {
  id: string;
  fleet: unknown;
  target: unknown;
  start: number;
  end: number;
}

async function run(checks: Check[], defects: string[], another?: PhaseInput['another'] | 'real') {
  const spec = referenceGateway(defects);
  held.fleet = await acquireFleet(spec, undefined);
  const { fleet, mcpServersFile } = held.fleet;
  const state: RunState = { access: undefined };
  let opens = 0;
  const open = () => {
    opens++;
    return openSut(spec, fleet, mcpServersFile, state);
  };
  held.sut = { current: await open() };
  const first = held.sut.current;
  const results: CheckResult[] = [];
  const second: PhaseInput['another'] =
    another === 'real'
      ? () =>
          openInstance(spec, undefined, state).catch((e: unknown) => {
            failedToOpen.push(String(e));
            throw e;
          })
      : another;
  await runPhases(checks, {
    spec,
    fleet,
    state,
    sut: held.sut,
    open,
    concurrency: 2,
    emit: (r) => results.push(r),
    ...(second ? { another: second } : {}),
  });
  return { results, fleet, first, opens: () => opens };
}

function seen(id: string, log: Seen[], concurrent: boolean, ms: number, verdict?: (ctx: never) => boolean) {
  return check({
    id: `gateway.test-${id}`,
    title: id,
    suite: 'gateway',
    specRef: 'test',
    severity: 'must',
    expected: 'alpha answers',
    concurrent,
    async run(ctx) {
      const entry = { id, fleet: ctx.fleet, target: ctx.target, start: performance.now(), end: Number.NaN };
      log.push(entry);
      const r = await ctx.session?.call('alpha__echo', { message: id });
      await new Promise((res) => setTimeout(res, ms));
      entry.end = performance.now();
      if (verdict && !verdict(ctx as never)) return fail('verdict');
      return r?.outcome === 'ok' ? pass('alpha answered') : fail(`alpha: ${r?.outcome}`);
    },
  });
}

const byId = (rs: CheckResult[]) => Object.fromEntries(rs.map((r) => [r.id, r.status]));

describe('run phases on two instances', () => {
  it('the shared checks run on a second SUT and fleet while the others run alone on the first', async () => {
    const log: Seen[] = [];
    // Each waits (bounded) until the others have started: in turns, the first to run would wait in vain.
    const started = new Set<string>();
    const meets = (mine: string, others: string[]) =>
      check({
        id: `gateway.test-${mine}`,
        title: mine,
        suite: 'gateway',
        specRef: 'test',
        severity: 'must',
        expected: 'runs while the others run',
        concurrent: mine !== 'alone',
        async run(ctx) {
          started.add(mine);
          log.push({ id: mine, fleet: ctx.fleet, target: ctx.target, start: 0, end: 0 });
          const met = () => others.every((o) => started.has(o));
          const until = performance.now() + 15_000;
          while (!met() && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
          const r = await ctx.session?.call('alpha__echo', { message: mine });
          return met() && r?.outcome === 'ok'
            ? pass('overlapped')
            : fail(`met ${met()}, alpha ${r?.outcome}`);
        },
      });
    const checks = [meets('alone', ['a', 'b']), meets('a', ['alone']), meets('b', ['alone'])];
    const { results, fleet, first } = await run(checks, [], 'real');
    expect(failedToOpen).toEqual([]);
    expect(byId(results)).toEqual({
      'gateway.test-alone': 'pass',
      'gateway.test-a': 'pass',
      'gateway.test-b': 'pass',
    });
    const alone = log.find((e) => e.id === 'alone') as Seen;
    const shared = log.filter((e) => e.id !== 'alone');
    expect(alone.fleet).toBe(fleet);
    expect(alone.target).toBe(first.target);
    expect(shared).toHaveLength(2);
    for (const s of shared) {
      expect(s.fleet).not.toBe(fleet);
      expect(s.target).not.toBe(first.target);
    }
    // The second instance's fleet is stopped at the end.
    const other = shared[0]?.fleet as { mocks: Map<string, { status(): string }> };
    expect([...other.mocks.values()].every((m) => m.status() !== 'up')).toBe(true);
  });

  it('a shared check that kills the second SUT: the shared checks run again alone on the first, only it fails', async () => {
    const log: Seen[] = [];
    const killer = check({
      id: 'gateway.test-killer',
      title: 'killer',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'the SUT survives a 2 MiB request',
      concurrent: true,
      async run(ctx) {
        log.push({ id: 'killer', fleet: ctx.fleet, target: ctx.target, start: performance.now(), end: 0 });
        const r = await ctx.session?.call('alpha__echo', { message: 'x'.repeat(2 * 1024 * 1024) });
        return r?.outcome === 'ok' ? pass('survived') : fail(`the big call: ${r?.outcome}`);
      },
    });
    const checks = [seen('alone', log, false, 0), killer, seen('a', log, true, 300)];
    const { results, fleet } = await run(checks, ['oversize-crash'], 'real');
    expect(byId(results)).toEqual({
      'gateway.test-alone': 'pass',
      'gateway.test-killer': 'fail',
      'gateway.test-a': 'pass',
    });
    // a ran twice: on the second instance (thrown away), then alone on the first.
    const runsOfA = log.filter((e) => e.id === 'a');
    expect(runsOfA).toHaveLength(2);
    expect(runsOfA[0]?.fleet).not.toBe(fleet);
    expect(runsOfA[1]?.fleet).toBe(fleet);
  });

  it('a second instance that cannot start: every check runs alone on the first; none is lost', async () => {
    const log: Seen[] = [];
    const checks = [seen('alone', log, false, 0), seen('a', log, true, 0), seen('b', log, true, 0)];
    const { results, fleet } = await run(checks, [], () => Promise.reject(new Error('no second port')));
    expect(byId(results)).toEqual({
      'gateway.test-alone': 'pass',
      'gateway.test-a': 'pass',
      'gateway.test-b': 'pass',
    });
    expect(log.every((e) => e.fleet === fleet)).toBe(true);
  });

  it('a SUT the last check relaunched is not relaunched again: nothing runs on it any more', async () => {
    const relauncher = check({
      id: 'gateway.test-relauncher',
      title: 'relauncher',
      suite: 'gateway',
      specRef: 'test',
      severity: 'must',
      expected: 'x',
      async run(ctx) {
        await ctx.relaunch();
        return pass('relaunched');
      },
    });
    const { results, opens } = await run([relauncher], []);
    expect(byId(results)).toEqual({ 'gateway.test-relauncher': 'pass' });
    expect(opens()).toBe(2); // the first open and the check's own relaunch
  });
});
