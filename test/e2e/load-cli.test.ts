import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadReportSchema } from '../../harness/schema/load.js';
import { runCli } from '../helpers/cli.js';
import { durations, loadReportOf } from '../helpers/load-report.js';

/** `mcp-harness load` and `merge` as a user runs them (the compiled CLI: `npm run build` first). */
let dir: string;
let target: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-load-cli-'));
  await writeFile(
    join(dir, 'fleet.yaml'),
    [
      'servers:',
      '  - name: tracker',
      '    transport: http',
      '    tools:',
      '      - name: get_issue',
      '        inputSchema: { type: object, properties: { id: { type: number } }, required: [id] }',
      '        result: { text: "issue {{args.id}}" }',
      '    faults: [{ type: latency, distribution: { kind: uniform, minMs: 2, maxMs: 4 } }]',
    ].join('\n'),
  );
  target = join(dir, 'mesh.yaml');
  await writeFile(
    target,
    ['name: one-mock', 'pattern: mesh', 'fromFleet: true', 'checks:', '  fleet: fleet.yaml'].join('\n'),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('mcp-harness load', () => {
  it('exits 2 listing every problem: rate ≤ 0, stages, shard 3/2, threshold, executor, format', async () => {
    const r = await runCli(
      [
        'load',
        '--target',
        target,
        '--tool',
        'tracker.get_issue',
        '--scenario',
        'workflow.yaml',
        '--rate',
        '0',
        '--shard',
        '3/2',
        '--threshold',
        'p(99)<<50ms',
        '--executor',
        'warp',
        '--format',
        'console,xml',
        '--max-in-flight',
        '-1',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error [INVALID_ARGS]');
    for (const line of [
      '--format: unknown format "xml"; expected one of console, json, junit, md',
      '--scenario: give --scenario or --tool, not both',
      "--rate: expected a rate > 0 such as 500/s, got '0'",
      "--max-in-flight: expected a whole number ≥ 1, got '-1'",
      "--shard: expected i/n with 1 ≤ i ≤ n, got '3/2'",
      "--executor: unknown executor 'warp'",
    ])
      expect(r.stderr).toContain(line);
    expect(r.stderr).toMatch(
      /--threshold\[0\]: p\(99\)<<50ms: unexpected '<' at column 7, expected a number/,
    );
    const stages = await runCli(
      ['load', '--target', target, '--tool', 'a.b', '--stages', '10s:100,oops,5s'],
      { cwd: dir },
    );
    expect(stages.code).toBe(2);
    expect(stages.stderr).toContain("--stages[1]: expected 'duration:target' such as '10s:100', got 'oops'");
    expect(stages.stderr).toContain("--stages[2]: expected 'duration:target' such as '10s:100', got '5s'");
  });

  it('exits 2 listing rate ≤ 0, an unknown tool, malformed stages and shard 3/2 in one run', async () => {
    const r = await runCli(
      [
        'load',
        '--target',
        target,
        '--tool',
        'tracker.nope',
        '--executor',
        'constant-arrival-rate',
        '--rate',
        '-5/s',
      ].concat(['--stages', '10s:1,oops', '--shard', '3/2']),
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    for (const line of [
      "--rate: expected a rate > 0 such as 500/s, got '-5/s'",
      "--tool: no tool 'nope' on fleet server 'tracker' (it has get_issue)",
      "--stages[1]: expected 'duration:target' such as '10s:100', got 'oops'",
      "--shard: expected i/n with 1 ≤ i ≤ n, got '3/2'",
    ])
      expect(r.stderr).toContain(line);
  });

  it('exits 2 on a tool the target does not serve, naming the tools it has', async () => {
    const r = await runCli(
      ['load', '--target', target, '--tool', 'tracker.nope', '--rate', '10', '--duration', '1s'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--tool: no tool 'nope' on fleet server 'tracker' (it has get_issue)");
  });

  it('runs, writes every format, and exits 1 when a threshold fails', async () => {
    const out = join(dir, 'run');
    const r = await runCli(
      [
        'load',
        '--target',
        target,
        '--tool',
        'tracker.get_issue',
        '--args',
        '{"id":7}',
        '--rate',
        '40/s',
        '--duration',
        '1s',
        '--workers',
        '1',
        '--threshold',
        'p(50)<1us',
        '--threshold',
        'errors:rate<0.5',
        '--format',
        'console,json,junit,md',
        '--report-dir',
        out,
      ],
      { cwd: dir, timeout: 40_000 },
    );
    expect(r.stderr).not.toContain('error [');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/response time \.+: /);
    expect(r.stdout).toMatch(/✗ p\(50\)<1us {2}observed /);
    expect(r.stdout).toMatch(/✓ errors:rate<0\.5 {2}observed 0%/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^load: \d+ iterations, .*1 of 2 thresholds failed$/,
    );
    // Lines per second on a non-TTY stderr.
    expect(r.stderr).toMatch(/\[1s\/1s\] \d+ req\/s · p50 /);
    const report = LoadReportSchema.parse(JSON.parse(await readFile(join(out, 'load-report.json'), 'utf8')));
    expect(report.completed).toBeGreaterThan(20);
    expect(report.thresholds.map((t) => t.pass)).toEqual([false, true]);
    const junit = await readFile(join(out, 'load-junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(2);
    expect(junit).toMatch(/<failure message="p\(50\)&lt;1us failed: observed [^"]+" type="threshold"/);
    const md = await readFile(join(out, 'load-summary.md'), 'utf8');
    expect(md).toContain('## ❌ mcp-harness load: 1 threshold failed');
    expect(md).toMatch(/\| response time \| .+ \| \d+ \|/);
  }, 45_000);
});

describe('mcp-harness merge', () => {
  it('merges shard reports into one (HDR merge) and exits 1 on the merged thresholds', async () => {
    const files = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const path = join(dir, `shard-${i}.json`);
        const report = loadReportOf({
          responseUs: durations(500, i),
          shard: { index: i, count: 3 },
          thresholds: ['p(99)<1ms'],
        });
        await writeFile(path, JSON.stringify(report));
        return path;
      }),
    );
    const out = join(dir, 'merged');
    const r = await runCli(['merge', ...files, '--out', out, '--format', 'console,json,md'], { cwd: dir });
    expect(r.stderr).not.toContain('error [');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('3 shards merged');
    const merged = LoadReportSchema.parse(JSON.parse(await readFile(join(out, 'load-report.json'), 'utf8')));
    expect(merged).toMatchObject({ shardsMerged: 3, completed: 1500 });
    expect(existsSync(join(out, 'load-summary.md'))).toBe(true);
  });

  it('exits 2 listing every file it cannot merge', async () => {
    const bad = join(dir, 'bad.json');
    const notLoad = join(dir, 'not-load.json');
    await writeFile(bad, '{oops');
    await writeFile(notLoad, '{"kind":"run"}');
    const r = await runCli(['merge', bad, notLoad, join(dir, 'missing.json'), '--out', join(dir, 'x')], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: expected a load report, got invalid JSON`);
    expect(r.stderr).toMatch(
      new RegExp(`${notLoad.replaceAll('/', '\\/')}: kind: expected one of "load"|${notLoad}: kind`),
    );
    expect(r.stderr).toContain(`${join(dir, 'missing.json')}: cannot read it (ENOENT)`);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
