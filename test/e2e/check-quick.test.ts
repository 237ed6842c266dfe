import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFleet } from '../../harness/checks/fleet.js';
import { createFleet, type Fleet } from '../../mocks/server/fleet.js';
import { ROOT, runCli } from '../helpers/cli.js';

/**
 * `check` without a target file: `--gateway-cmd` (the harness starts the
 * gateway behind its fleet) and `--url` (a gateway that already runs), each
 * passing a handshake check against the reference gateway; bad flags exit 2
 * listing every problem by flag.
 */

const GATEWAY = join(ROOT, 'dist/mocks/patterns/gateway/main.js');

describe('check --gateway-cmd / --url', () => {
  let dir: string;
  let fleet: Fleet | undefined;
  let gateway: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-harness-quick-'));
    fleet = createFleet(conformanceFleet(['alpha', 'beta']));
    await fleet.start();
    const file = await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
    const proc = spawn(process.execPath, [GATEWAY, '--config', file, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    gateway = proc;
    url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the gateway did not start within 15 s')), 15_000);
      const see = (c: Buffer) => {
        const m = /gateway listening on (http:\/\/\S+)/.exec(c.toString());
        if (m) {
          clearTimeout(timer);
          done(m[1] as string);
        }
      };
      proc.stdout?.on('data', see);
      proc.stderr?.on('data', see); // the gateway logs on stderr
    });
  });
  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((r) => gateway?.once('exit', r));
      gateway.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      gateway.kill('SIGKILL');
    }
    await fleet?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 90_000);

  it('--gateway-cmd starts the gateway in front of the fleet and checks it', async () => {
    const r = await runCli(
      [
        'check',
        ...[
          '--gateway-cmd',
          `${process.execPath} ${GATEWAY} --config {mcpServersFile} --port {port} --quiet`,
        ],
        ...[
          '--ready',
          'log:gateway listening',
          '--only',
          'gateway.handshake',
          'gateway.tools-exposed-once',
          '--no-progress',
        ],
      ],
      { cwd: dir, timeout: 60_000 },
    );
    expect(r.stdout).toMatch(/✓ gateway\.handshake/);
    expect(r.stdout).toMatch(/✓ gateway\.tools-exposed-once/);
    expect(r.code).toBe(0);
  }, 90_000);

  it('--url checks a gateway that already runs', async () => {
    const r = await runCli(['check', '--url', url, '--only', 'gateway.handshake', '--no-progress'], {
      cwd: dir,
      timeout: 60_000,
    });
    expect(r.stdout).toMatch(/✓ gateway\.handshake/);
    expect(r.code).toBe(0);
  }, 90_000);

  it('--url to nothing is unreachable (exit 3)', async () => {
    const dead = new URL(url);
    dead.port = '1'; // privileged and unused: refused
    const r = await runCli(
      ['check', '--url', dead.toString(), '--only', 'gateway.handshake', '--no-progress'],
      {
        cwd: dir,
        timeout: 60_000,
      },
    );
    expect(r.code).toBe(3);
  }, 90_000);

  it('bad flags: exit 2, every problem named by its flag', async () => {
    const r = await runCli(
      [
        'check',
        '--gateway-cmd',
        "gw 'open",
        '--transport',
        'carrier',
        '--naming',
        'weird',
        '--ready',
        'soon',
        '--fleet-at',
        'nope',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    for (const flag of ['--gateway-cmd', '--transport', '--naming', '--ready', '--fleet-at'])
      expect(r.stderr).toContain(`  - ${flag}:`);
    expect(r.stderr).toContain('expected {mcpServersFile} in the command');

    const both = await runCli(['check', '--target', 'x.yaml', '--url', 'ftp://x'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--target: give a target file or --url/--gateway-cmd, not both');
    expect(both.stderr).toContain('--url: expected an http:// or https:// URL');

    const none = await runCli(['check'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--target: expected a target file, or --url URL');
  }, 90_000);
});
