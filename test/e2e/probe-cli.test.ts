import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/target/launch.js';
import type { Fleet } from '../../mocks/server/fleet.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { eventually, startFleet } from '../helpers/mocks.js';
import { type PromProcess, startPushgateway } from '../integration/dashboards/prom-processes.js';
import { ensurePrometheus } from '../integration/dashboards/prom-tools.js';
import { startOtlpReceiver } from '../integration/otlp/receiver.js';
import { endpointsOf, PROBE_FLEET, type TempDir, tempDir } from '../integration/probe/fixtures.js';

/** The `probe` command as a user runs it (compiled CLI: `npm run build` first). */
let fleet: Fleet;
let tmp: TempDir;
let gateway: PromProcess;
let ep: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  ensurePrometheus();
  fleet = await startFleet(PROBE_FLEET, { only: ['web'] });
  ep = endpointsOf(fleet);
  tmp = await tempDir();
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
  await tmp?.remove();
});

const probes = (modules: string[]) => ({
  defaults: { interval: '2s', timeout: '2s' },
  modules: { broken: { kind: 'call', tool: 'broken' } },
  targets: [{ name: 'web', endpoint: ep.web, modules }],
});

describe('mcp-harness probe', () => {
  it('--once --push: prints the round, exits 1 on a failed probe, and pushes it', async () => {
    const file = await tmp.write('once.yaml', probes(['handshake', 'broken']));
    const r = await runCli(['probe', '--config', file, '--once', '--push', gateway.url], { cwd: ROOT });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✓ web handshake/);
    expect(r.stdout).toMatch(
      /✗ web broken .*tool_error: broken: outcome expected ok, observed isError: backend on fire/,
    );
    const pushed = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(pushed).toMatch(
      /probe_success\{instance="",job="mcp_harness_probe",module="broken",target="web"\} 0/,
    );
    const ok = await tmp.write('ok.yaml', probes(['handshake']));
    expect((await runCli(['probe', '--config', ok, '--once', '--json'], { cwd: ROOT })).code).toBe(0);
  });

  it('--once --otlp: a span per probe, a child per phase, the failed one marked with its kind', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const file = await tmp.write('otlp.yaml', probes(['handshake', 'broken']));
      const r = await runCli(['probe', '--config', file, '--once', '--otlp', receiver.url], { cwd: ROOT });
      expect(r.code, r.stderr).toBe(1);
      const byName = new Map(receiver.spans.map((s) => [s.name, s]));
      const ok = byName.get('probe handshake web');
      const broken = byName.get('probe broken web');
      expect(ok?.status).not.toBe(2);
      expect(broken?.status).toBe(2); // ERROR
      expect(broken?.attributes['error.type']).toBe('tool_error');
      const phases = receiver.spans.filter((s) => s.parentSpanId === broken?.spanId).map((s) => s.name);
      expect(phases).toContain('probe phase call');
    } finally {
      await receiver.close();
    }
  });

  it('bad flags and a bad config exit 2 with every problem', async () => {
    const flags = await runCli(['probe', '--listen', 'nowhere', '--push', 'ftp:x', '--json'], { cwd: ROOT });
    expect(flags.code).toBe(2);
    for (const p of [
      '--config: expected a probe config file',
      '--listen: expected host:port',
      '--push: needs --once',
      '--push: expected an http(s) URL',
      '--json: needs --once',
    ]) {
      expect(flags.stderr).toContain(p);
    }
    const file = await tmp.write('bad.yaml', {
      targets: [{ name: 'x', endpoint: { transport: 'http', url: 'nope' }, modules: ['zzz'] }],
    });
    const bad = await runCli(['probe', '--config', file, '--once'], { cwd: ROOT });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/targets\[0\]\.endpoint\.url/);
    expect(bad.stderr).toMatch(/targets\[0\]\.modules\[0\]: unknown module 'zzz'/);
  });

  it('the daemon reloads its config on SIGHUP, keeps the old one when the new one is bad, and stops on SIGTERM', async () => {
    const file = await tmp.write('daemon.yaml', probes(['handshake']));
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, 'probe', '--config', file, '--listen', `127.0.0.1:${port}`],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr?.on('data', (c) => {
      err += c;
    });
    const exited = once(child, 'exit');
    const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 15_000, 100);
      await eventually(
        async () => /probe_success\{target="web",module="handshake"\} 1/.test(await metrics()),
        15_000,
        200,
      );
      await tmp.write('daemon.yaml', probes(['broken']));
      child.kill('SIGHUP');
      await eventually(
        async () => /probe_success\{target="web",module="broken"\} 0/.test(await metrics()),
        15_000,
        200,
      );
      expect(await metrics()).not.toMatch(/module="handshake"/);
      await tmp.write('daemon.yaml', 'targets: [');
      child.kill('SIGHUP');
      await eventually(() => err.includes('config refused'), 10_000);
      expect(await metrics()).toMatch(/mcp_probe_daemon_config_last_reload_successful 0/);
      expect((await fetch(`http://127.0.0.1:${port}/probe?target=web&module=broken`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      const [code] = await exited;
      clearTimeout(timer);
      expect(code).toBe(0);
    }
  });
});
