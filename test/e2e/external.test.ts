import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../harness/schema/result.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { alive } from '../helpers/mocks.js';

/**
 * External mode: `mock --fleet conformance --port-base N` runs the fleet on
 * fixed ports and writes its mcpServers file; the TEST (not the harness)
 * starts the reference gateway from that file; `check --url … --fleet-at …`
 * checks it, driving faults and reading call logs through the fleet's control
 * API. Its statuses equal those of the launched mode (`--gateway-cmd`), and
 * the fleet is left running with its declared faults.
 */

const ONLY = [
  'gateway.handshake',
  'gateway.iserror-preserved', // reads nothing but the answer
  'gateway.args-passthrough', // reads the mock's call log
  'gateway.hung-backend-bounded', // installs a hang fault through the fleet
];
const GATEWAY = join(ROOT, 'dist/mocks/patterns/gateway/main.js');

const canBind = (port: number) =>
  new Promise<boolean>((done) => {
    const s = createServer();
    s.once('error', () => done(false));
    s.listen(port, '127.0.0.1', () => s.close(() => done(true)));
  });

/** A base with `count` consecutive free ports (checked, never assumed). */
async function freeRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await canBind(p);
    if (ok) return base;
  }
  throw new Error('no free port range found');
}

/** Spawn a process and wait (bounded) for a line of its stdout matching `ready`. */
function start(args: string[], ready: RegExp, cwd: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      fail(new Error(`not ready within 15 s: ${out}`));
    }, 15_000);
    const see = (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        done(proc);
      }
    };
    proc.stdout?.on('data', see);
    proc.stderr?.on('data', see);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code}: ${out}`));
    });
  });
}

function stop(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    proc.kill('SIGTERM');
  });
}

async function statuses(dir: string, sub: string): Promise<Record<string, string>> {
  const report = JSON.parse(await readFile(join(dir, sub, 'report.json'), 'utf8')) as RunReport;
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

describe('check --url --fleet-at: a gateway started outside the harness', () => {
  let dir: string;
  let fleet: ChildProcess | undefined;
  let gateway: ChildProcess | undefined;
  let base: number;
  let gwPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-harness-external-'));
    base = await freeRange(6); // control API, alpha, beta, (gamma: stdio), delta, the gateway
    gwPort = base + 5;
    fleet = await start(
      [
        BIN,
        ...['mock', '--fleet', 'conformance', '--port-base', String(base)],
        // npx would find this package too, but costs seconds per spawn on a loaded machine.
        ...['--stdio-command', `${process.execPath} ${BIN}`, '--mcp-servers', join(dir, 'mcpServers.json')],
      ],
      /ready/,
      dir,
    );
    gateway = await start(
      [GATEWAY, '--config', join(dir, 'mcpServers.json'), '--port', String(gwPort), '--timeout-ms', '1500'],
      /gateway listening on http:/,
      dir,
    );
  });
  afterAll(async () => {
    await stop(gateway);
    await stop(fleet);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 90_000);

  it('the mcpServers file has the fixed ports and a stdio command with the control address', async () => {
    const file = JSON.parse(await readFile(join(dir, 'mcpServers.json'), 'utf8'));
    expect(file.mcpServers.alpha).toEqual({ type: 'http', url: `http://127.0.0.1:${base + 1}/mcp` });
    expect(file.mcpServers.delta.url).toBe(`http://127.0.0.1:${base + 4}/mcp`);
    expect(file.mcpServers.gamma.args).toEqual([
      BIN,
      'mock',
      '--fleet',
      'conformance',
      '--server',
      'gamma',
      '--stdio',
    ]);
    expect(file.mcpServers.gamma.env).toEqual({ MCP_HARNESS_CONTROL: `http://127.0.0.1:${base}` });
  }, 90_000);

  it('gives the launched mode’s results and leaves the fleet running as declared', async () => {
    const common = ['--only', ...ONLY, '--naming', 'prefix', '--format', 'json', '--no-progress'];
    const external = await runCli(
      [
        'check',
        ...['--url', `http://127.0.0.1:${gwPort}/mcp`, '--fleet-at', `http://127.0.0.1:${base}`],
        ...common,
        ...['--report-dir', 'external'],
      ],
      { cwd: dir, timeout: 60_000 },
    );
    expect(external.stderr).not.toMatch(/error \[/);
    const launched = await runCli(
      [
        'check',
        ...[
          '--gateway-cmd',
          `${process.execPath} ${GATEWAY} --config {mcpServersFile} --port {port} --timeout-ms 1500`,
        ],
        ...common,
        ...['--report-dir', 'launched'],
      ],
      { cwd: dir, timeout: 60_000 },
    );
    const ext = await statuses(dir, 'external');
    expect(Object.keys(ext).sort()).toEqual([...ONLY].sort());
    expect(ext).toEqual(await statuses(dir, 'launched'));
    expect(Object.values(ext).every((s) => s === 'pass')).toBe(true);
    expect([external.code, launched.code]).toEqual([0, 0]);

    // Not stopped, and the hang fault the run installed is gone again: only alpha's declared fault is left.
    expect(alive(fleet!.pid!)).toBe(true);
    const alpha = (await (await fetch(`http://127.0.0.1:${base}/mocks/alpha`)).json()) as {
      status: string;
      faults: Array<{ type: string }>;
    };
    expect(alpha.status).toBe('up');
    expect(alpha.faults.map((f) => f.type)).toEqual(['protocol-error']);
  }, 90_000);

  it('a fleet that does not answer is unreachable (exit 3), bad flags are listed (exit 2)', async () => {
    const closed = await freeRange(1);
    const gone = await runCli(
      [
        'check',
        '--url',
        `http://127.0.0.1:${gwPort}/mcp`,
        '--fleet-at',
        `http://127.0.0.1:${closed}`,
        '--only',
        'gateway.handshake',
      ],
      { cwd: dir },
    );
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain(`control API at http://127.0.0.1:${closed} did not answer`);

    const bad = await runCli(['mock', '--fleet', 'conformance', '--port-base', 'x', '--host', ''], {
      cwd: dir,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port-base:/);
    expect(bad.stderr).toMatch(/--host:/);
  }, 90_000);
});
