import { describe, expect, it } from 'vitest';
import { HarnessError, type Problem } from '../../../harness/errors.js';
import { type LoadFlags, loadOptionsFromFlags, parseRate } from '../../../harness/load/options.js';

function problemsOf(flags: LoadFlags): Problem[] {
  try {
    loadOptionsFromFlags(flags);
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).exitCode).toBe(2);
    return (e as HarnessError).problems;
  }
  throw new Error('expected the flags to be refused');
}

describe('loadOptionsFromFlags', () => {
  it('turns good flags into LoadOptions, the executor implied by the load flag', () => {
    const open = loadOptionsFromFlags({
      target: 'gw.yaml',
      tool: 'repo.search',
      args: '{"q":"x"}',
      rate: '500/s',
      duration: '10s',
      threshold: ['p(99)<50ms', 'errors:rate<0.01'],
      shard: '2/4',
      maxInFlight: '64',
    });
    expect(open).toMatchObject({
      target: 'gw.yaml',
      tool: 'repo.search',
      args: { q: 'x' },
      executor: 'constant-arrival-rate',
      rate: 500,
      durationMs: 10_000,
      maxInFlight: 64,
      shard: { index: 2, count: 4 },
      thresholds: ['p(99)<50ms', 'errors:rate<0.01'],
    });
    expect(loadOptionsFromFlags({ target: 't', scenario: 's.yaml', connections: '8' }).executor).toBe(
      'constant-vus',
    );
    expect(loadOptionsFromFlags({ target: 't', tool: 'a.b', stages: '1s:10,1s:0' }).executor).toBe(
      'ramping-arrival-rate',
    );
    expect(loadOptionsFromFlags({ target: 't', tool: 'a.b', rate: '30/m' }).rate).toBe(0.5);
  });

  it('lists every problem at once: rate ≤ 0, scenario and tool, stages, shard 3/2, threshold, executor', () => {
    const problems = problemsOf({
      target: 'gw.yaml',
      scenario: 's.yaml',
      tool: 'a.b',
      rate: '0',
      stages: '10s:100,oops',
      shard: '3/2',
      threshold: ['p(99)<50ms', 'p(99)<<5', 'errors:p(95)<1ms'],
      executor: 'warp-drive',
      duration: 'forever',
    });
    const byPath = (path: string) => problems.filter((p) => p.path === path).map((p) => p.message);
    expect(byPath('--rate')).toContain("expected a rate > 0 such as 500/s, got '0'");
    expect(byPath('--scenario')).toEqual(['give --scenario or --tool, not both']);
    expect(byPath('--stages[1]')).toEqual(["expected 'duration:target' such as '10s:100', got 'oops'"]);
    expect(byPath('--shard')).toEqual(["expected i/n with 1 ≤ i ≤ n, got '3/2'"]);
    expect(byPath('--threshold[1]')[0]).toMatch(/column 7, expected a number/);
    expect(byPath('--threshold[2]')[0]).toMatch(/p\(N\) does not apply to rate metric 'errors'/);
    expect(byPath('--threshold[0]')).toEqual([]);
    expect(byPath('--executor')[0]).toMatch(
      /unknown executor 'warp-drive', expected one of constant-arrival-rate/,
    );
    expect(byPath('--duration')).toEqual(["expected a duration > 0 such as 30s or 500ms, got 'forever'"]);
  });

  it('says what is missing: target, workload, load', () => {
    const problems = problemsOf({});
    expect(problems).toEqual([
      { path: '--target', message: 'expected a target file (missing)' },
      { path: '--scenario', message: 'expected --scenario FILE or --tool server.tool (missing)' },
      { path: '--rate', message: 'expected --rate (open loop), --connections (closed loop) or --stages' },
    ]);
  });

  it('checks what each executor needs and refuses', () => {
    expect(problemsOf({ target: 't', tool: 'a.b', rate: '10', connections: '4' })).toEqual([
      {
        path: '--connections',
        message:
          'constant-arrival-rate does not take --connections: give --rate (open loop) or --connections (closed loop)',
      },
    ]);
    expect(
      problemsOf({ target: 't', tool: 'a.b', executor: 'ramping-arrival-rate', rate: '5' }).map(
        (p) => p.path,
      ),
    ).toEqual(['--stages', '--rate']);
    expect(
      problemsOf({ target: 't', tool: 'a.b', executor: 'per-session-iterations' }).map((p) => p.message),
    ).toEqual([
      'per-session-iterations needs --iterations (per session)',
      'per-session-iterations needs --connections (the sessions, each running --iterations)',
    ]);
    expect(loadOptionsFromFlags({ target: 't', tool: 'a.b', iterations: '3', sessions: '2' }).executor).toBe(
      'per-session-iterations',
    );
  });

  it('refuses integers that are not whole numbers ≥ 1, bad --args, a shard too small to split', () => {
    const problems = problemsOf({
      target: 't',
      tool: 'nodot',
      connections: '2',
      shard: '1/3',
      args: '[1]',
      workers: '1.5',
    });
    expect(problems).toEqual([
      { path: '--tool', message: "expected a logical server.tool name, got 'nodot'" },
      { path: '--args', message: `expected a JSON object such as '{"q":"x"}', got [1]` },
      { path: '--workers', message: "expected a whole number ≥ 1, got '1.5'" },
      { path: '--connections', message: '2 cannot be split into 3 shards (expected at least 3)' },
    ]);
  });
});

describe('parseRate', () => {
  it('reads N, N/s and N/m; refuses ≤ 0 and nonsense', () => {
    expect(parseRate('2000').value).toBe(2000);
    expect(parseRate('2.5/s').value).toBe(2.5);
    expect(parseRate('-5/s').problems).toHaveLength(1);
    expect(parseRate('lots').problems[0]?.message).toBe("expected a rate > 0 such as 500/s, got 'lots'");
  });
});
