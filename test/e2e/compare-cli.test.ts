import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompareResultSchema } from '../../harness/compare/schema.js';
import { ROOT, runCli } from '../helpers/cli.js';

/** `mcp-harness compare` as a user runs it: bad input is refused with every problem; a run prints the table. */
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-compare-cli-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('mcp-harness compare', () => {
  it('exits 2 listing every problem: unknown target, steps the chain cannot map, bad faults', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      [
        `scenario: ${join(ROOT, 'scenarios/compare/bug-triage.workflow.yaml')}`,
        'targets:',
        '  - mesh',
        '  - no-such-gateway',
        `  - ${join(ROOT, 'scenarios/targets/reference-chain.yaml')}`,
        'composites:',
        '  - { tool: triage_issue, steps: [issue, nope] }',
        'faults: ["nobody:hang", "repo:explode"]',
      ].join('\n'),
    );
    const r = await runCli(['compare', file, '--no-progress'], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error [INVALID_CONFIG]');
    expect(r.stderr).toMatch(
      /targets\[1\]: unknown target 'no-such-gateway': expected "mesh" or a target file/,
    );
    expect(r.stderr).toMatch(/composites\[0\]\.steps\[1\]: no call step 'nope' in the workflow/);
    expect(r.stderr).toMatch(/step 'code' \(repo\.search_code\) cannot be mapped/);
    expect(r.stderr).toMatch(/step 'notify' \(chat\.post_message\) cannot be mapped/);
    expect(r.stderr).toMatch(/faults\[0\]: unknown server 'nobody'/);
    expect(r.stderr).toMatch(/faults\[1\]: 'repo:explode'/);
  });

  it('exits 2 on flags it cannot use (a format compare does not write, a missing workflow)', async () => {
    const r = await runCli(
      ['compare', '--scenario', 'nope.yaml', '--targets', 'mesh,mesh', '--format', 'junit'],
      {
        cwd: ROOT,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown compare format "junit"; expected one of console, json, html');
    const missing = await runCli(['compare', '--scenario', 'nope.yaml', '--targets', 'mesh,mesh'], {
      cwd: ROOT,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/scenario: no such workflow file: .*nope\.yaml/);
  });

  it('prints the side-by-side table and writes compare.json and compare.html; a target that cannot start is a failed pattern (exit 3)', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(
      broken,
      JSON.stringify({
        name: 'broken-gateway',
        pattern: 'gateway',
        endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
        launch: { command: process.execPath, args: ['-e', 'process.exit(7)'], ready: { log: 'never' } },
      }),
    );
    const out = join(dir, 'report');
    const r = await runCli(
      [
        'compare',
        '--scenario',
        'scenarios/compare/bug-triage.workflow.yaml',
        '--targets',
        `mesh,scenarios/compare/reference-gateway.yaml,${broken}`,
        '--iterations',
        '2',
        '--warmup',
        '0',
        '--format',
        'console,json,html',
        '--report-dir',
        out,
        '--no-progress',
      ],
      { cwd: ROOT, timeout: 90_000 },
    );
    expect(r.code).toBe(3);
    const result = CompareResultSchema.parse(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')));
    expect(result.patterns.map((p) => [p.target, p.status, p.workflows])).toEqual([
      ['mesh', 'pass', 2],
      ['reference-gateway', 'pass', 2],
      ['broken-gateway', 'fail', 0],
    ]);
    expect(result.patterns[2]?.error).toContain('SUT_START_FAILED');
    expect(r.stdout).toMatch(/^compare bug-triage {2}2 rounds/);
    expect(r.stdout).toMatch(/pattern +mesh +gateway +gateway \(FAILED\)/);
    expect(r.stdout).toMatch(/workflow p50\/p95\/p99 .* \/ .* \/ /);
    expect(r.stdout).toMatch(/requests sent \/ workflow +3 +3 +0/);
    expect(r.stdout).toMatch(/catalogue tools +6 +6 +0/);
    expect(r.stdout).toMatch(/broken-gateway: error \[SUT_START_FAILED\]/);
    expect(existsSync(join(out, 'compare.html'))).toBe(true);
  }, 100_000);
});
