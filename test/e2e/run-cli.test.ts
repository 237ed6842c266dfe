import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunReportSchema } from '../../harness/schema/result.js';
import { type CliRun, runCli } from '../helpers/cli.js';

/**
 * The real `mcp-harness run` command: exit codes 0/1/2/3, every problem of an
 * invalid scenario or target listed with its path, reports written and
 * appended to $GITHUB_STEP_SUMMARY.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-run-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(args, { cwd: dir, env });
}

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const FLEET = `
servers:
  - name: api
    transport: http
    tools:
      - name: greet
        result: { text: "hello {{args.who}}" }
`;

describe('mcp-harness run', () => {
  it('passes: exit 0, console summary, json/junit/md reports, step summary appended', async () => {
    const scenario = await file(
      'ok.yaml',
      `${FLEET.replace('servers:', 'fleet:\n  servers:')
        .replace(/\n {2}/g, '\n    ')
        .replace('\n    servers', '\n  servers')}
steps:
  - name: hi
    call: api.greet
    args: { who: world }
    expect: { text: hello world, servedBy: api }
`,
    );
    const summary = join(dir, 'summary.md');
    const run = await cli(
      ['run', scenario, '--format', 'console,json,junit,md', '--report-dir', 'out', '--no-progress'],
      {
        GITHUB_STEP_SUMMARY: summary,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ .*hi/);
    const report = RunReportSchema.parse(JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8')));
    expect(report.exitCode).toBe(0);
    expect(report.scenarios[0]!.steps[0]).toMatchObject({
      name: 'hi',
      status: 'pass',
      attribution: 'traceparent',
    });
    expect(report.scenarios[0]!.histograms.map((h) => h.metric)).toEqual(
      expect.arrayContaining(['step_duration', 'downstream_duration', 'overhead']),
    );
    const junit = await readFile(join(dir, 'out/junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBeGreaterThanOrEqual(3);
    expect(await readFile(summary, 'utf8')).toMatch(/ok/);
  });

  it('a failed expectation: exit 1 and the expectation named', async () => {
    const scenario = await file(
      'fail.yaml',
      `fleet: ./fleet.yaml
steps:
  - { name: hi, call: api.greet, args: { who: x }, expect: { text: goodbye } }
`,
    );
    await file('fleet.yaml', FLEET);
    const run = await cli(['run', scenario, '--no-progress']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗.*text/);
  });

  it('an invalid scenario: exit 2, every problem with its path, nothing started', async () => {
    const scenario = await file(
      'bad.yaml',
      `fleet: ./fleet.yaml
stepTimeout: soon
thresholds:
  latency: ["p(95)<1s"]
steps:
  - { call: api.greet, wait: 5 }
  - { name: b, call: api.greet, args: { x: "{{steps.nope.text}}" }, expect: { outcom: ok } }
  - { kill: nobody }
`,
    );
    await file('fleet.yaml', FLEET);
    const run = await cli(['run', scenario]);
    expect(run.code).toBe(2);
    for (const path of [
      'stepTimeout',
      'thresholds.latency',
      'steps[0]',
      'steps[1].expect',
      'steps[2].kill',
    ]) {
      expect(run.stderr, path).toContain(`${path}:`);
    }
  });

  it('an invalid target file: exit 2 with --target paths', async () => {
    await file('fleet.yaml', FLEET);
    const scenario = await file('s.yaml', 'fleet: ./fleet.yaml\nsteps: [{ call: api.greet }]\n');
    const target = await file('t.yaml', 'pattern: hub\nendpoint: { transport: http, url: ftp://x }\n');
    const run = await cli(['run', scenario, '--target', target]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--target.pattern:');
    expect(run.stderr).toContain('--target.endpoint.url:');
  });

  it('bad flags: exit 2', async () => {
    const scenario = await file('s2.yaml', `fleet: ./fleet.yaml\nsteps: [{ call: api.greet }]\n`);
    await file('fleet.yaml', FLEET);
    expect((await cli(['run', scenario, '--format', 'pdf'])).code).toBe(2);
    expect((await cli(['run', scenario, '--timeout', 'later'])).code).toBe(2);
    expect((await cli(['run', join(dir, 'missing.yaml')])).code).toBe(2);
  });

  it('an unreachable target: exit 3 with the reason, and the report still written', async () => {
    await file('fleet.yaml', FLEET);
    const scenario = await file('s3.yaml', 'fleet: ./fleet.yaml\nsteps: [{ call: api.greet }]\n');
    const port = await closedPort();
    const target = await file(
      'down.yaml',
      `pattern: gateway\ntimeoutMs: 2000\nendpoint: { transport: http, url: "http://127.0.0.1:${port}/mcp" }\n`,
    );
    const run = await cli([
      'run',
      scenario,
      '--target',
      target,
      '--format',
      'console,json',
      '--report-dir',
      'out3',
      '--no-progress',
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/connection refused/);
    const report = JSON.parse(await readFile(join(dir, 'out3/report.json'), 'utf8'));
    expect(report.exitCode).toBe(3);
  });
});
