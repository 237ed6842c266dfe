import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchSpec } from '../../../harness/schema/target.js';
import { freePort, launch } from '../../../harness/target/launch.js';
import { liveGroupCount } from '../../../harness/target/process.js';
import { alive, expectGone, fixture, harnessError, readPid, tsNode } from '../../fixtures/target/helpers.js';

const recipe = (args: string[], extra: Partial<LaunchSpec> = {}): LaunchSpec => ({
  command: process.execPath,
  args,
  env: {},
  readyTimeoutMs: 10_000,
  shutdownTimeoutMs: 2000,
  ...extra,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'target-launch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  expect(liveGroupCount()).toBe(0);
});

describe('launch', () => {
  it('picks a free port on 127.0.0.1', async () => {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });

  it('fails fast with the exit code and the last output when the SUT exits before ready', async () => {
    const pidFile = join(dir, 'exit.pid');
    const t0 = Date.now();
    const err = await harnessError(
      launch(recipe([fixture('raw-stdio.mjs'), 'exit', pidFile]), {
        ready: { kind: 'log', pattern: /ready/ },
      }),
      'SUT_START_FAILED',
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err.message).toMatch(/exited with code 3 before it was ready/);
    expect(err.message).toMatch(/\[stderr\] fatal: cannot read config file/);
    expect(err.exitCode).toBe(3);
    expectGone(readPid(pidFile));
  });

  it('times out a SUT that never gets ready, escalating to SIGKILL when it ignores SIGTERM', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const t0 = Date.now();
    const err = await harnessError(
      launch(
        recipe([fixture('raw-stdio.mjs'), 'stubborn', pidFile], {
          readyTimeoutMs: 600,
          shutdownTimeoutMs: 300,
        }),
        {
          ready: { kind: 'log', pattern: /never printed/ },
        },
      ),
      'SUT_START_FAILED',
    );
    expect(Date.now() - t0).toBeLessThan(600 + 300 + 1000);
    expect(err.message).toMatch(
      /was not ready within 600 ms \(waiting for a log line matching \/never printed\/\)/,
    );
    expectGone(readPid(pidFile));
  });

  it('reports a command that cannot be started', async () => {
    const err = await harnessError(
      launch(recipe([], { command: '/nonexistent/gateway' }), { ready: { kind: 'spawned' } }),
      'SUT_START_FAILED',
    );
    expect(err.message).toMatch(/cannot start `\/nonexistent\/gateway`: .*ENOENT/);
  });

  it('waits for an HTTP answer with backoff, then stop() ends the process', async () => {
    const port = await freePort();
    const launched = await launch(
      recipe(tsNode('http-server.ts', '--port', String(port), '--delay-ms', '300')),
      {
        ready: { kind: 'http', url: `http://127.0.0.1:${port}/mcp` },
      },
    );
    expect(alive(launched.pid)).toBe(true);
    const res = await fetch(`http://127.0.0.1:${port}/nothing`);
    expect(res.status).toBe(404);
    const exit = await launched.stop();
    expect(exit.signal).toBe('SIGTERM');
    expect(launched.exit).toEqual(exit);
    expectGone(launched.pid);
  });

  it.each(['throw', 'wait'])('leaves no SUT behind when the harness dies (%s)', async (mode) => {
    const driver = spawn(process.execPath, tsNode('crash-driver.ts', mode), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sutPid = await new Promise<number>((resolve, reject) => {
      driver.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      driver.once('exit', (code) => reject(new Error(`driver exited early (${code})`)));
    });
    expect(alive(sutPid)).toBe(true);
    const exited = new Promise((r) => driver.once('exit', (code, signal) => r({ code, signal })));
    if (mode === 'wait') driver.kill('SIGTERM');
    expect(await exited).toEqual(
      mode === 'wait' ? { code: null, signal: 'SIGTERM' } : { code: 1, signal: null },
    );
    // The SUT was killed by the driver's exit hook; give the kernel a moment to deliver it.
    const deadline = Date.now() + 2000;
    while (alive(sutPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expectGone(sutPid);
  });
});
