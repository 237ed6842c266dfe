import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { type ProbeResult, runProbe } from '../../../probes/index.js';
import { moduleSpec } from '../../../probes/modules/registry.js';
import { alive, eventually, startFleet } from '../../helpers/mocks.js';
import { config, endpointsOf, PROBE_FLEET, type TempDir, tempDir } from './fixtures.js';

/**
 * Hostile targets: each probe fails with its kind and reason by its timeout, and leaves
 * nothing open (sockets closed, processes gone).
 */
let fleet: Fleet;
let ep: Record<string, Record<string, unknown>>;
let tmp: TempDir;
const servers: Server[] = [];

beforeAll(async () => {
  fleet = await startFleet(PROBE_FLEET);
  ep = endpointsOf(fleet);
  tmp = await tempDir();
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await fleet?.stop();
  await tmp?.remove();
});

async function probe(
  endpoint: unknown,
  module: Record<string, unknown> | string,
  timeout = 2500,
  maxBytes?: number,
) {
  const cfg = await config({
    modules: typeof module === 'string' ? {} : { m: module },
    targets: [
      { name: 't', endpoint, modules: [typeof module === 'string' ? module : 'm'], timeout, maxBytes },
    ],
  });
  const t = cfg.targets[0]!;
  const name = t.modules[0]!;
  const started = Date.now();
  const result = await runProbe(t, name, moduleSpec(name, cfg.modules)!);
  return { result, elapsedMs: Date.now() - started };
}

/** Failed with this kind, and returned by the timeout (plus the bounded close and a loaded machine's slack). */
function expectFailed(r: { result: ProbeResult; elapsedMs: number }, kind: string, timeoutMs = 2500) {
  expect(r.result, JSON.stringify(r.result)).toMatchObject({ success: false, kind });
  expect(r.elapsedMs).toBeLessThan(timeoutMs + 4000);
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('hostile targets', () => {
  it('a hung tool call fails as timeout at the probe timeout', async () => {
    const r = await probe(ep.web, { kind: 'call', tool: 'slow' });
    expectFailed(r, 'timeout');
    expect(r.result.reason).toMatch(/within the probe timeout \(2500 ms\)/);
  });

  it('an endless SSE stream (events forever, never the answer) fails as timeout, and the socket is closed', async () => {
    let open = 0;
    const headers = new Set<string>();
    const server = createHttpServer((req, res) => {
      for (const h of Object.keys(req.headers)) headers.add(h);
      if (req.method !== 'POST') return void res.writeHead(405).end();
      open++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write(': keep-alive\n\n'), 20);
      res.on('close', () => {
        clearInterval(t);
        open--;
      });
    });
    const host = await listen(server);
    const r = await probe({ transport: 'http', url: `http://${host}/mcp` }, 'handshake');
    expectFailed(r, 'timeout');
    await eventually(() => open === 0, 3000);
    // The byte budget's private header is taken off before the request leaves.
    expect(headers.has('accept')).toBe(true);
    expect([...headers].filter((h) => h.startsWith('x-mcp-harness'))).toEqual([]);
  });

  it('a huge answer fails as too_large once maxBytes is passed (not buffered whole)', async () => {
    const r = await probe(ep.web, { kind: 'call', tool: 'big' }, 5000, 256 * 1024);
    expectFailed(r, 'too_large', 5000);
    expect(r.result.reason).toMatch(/more than 262144 bytes/);
  });

  it('an endless stream of data is cut by the byte cap too', async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = `: ${'x'.repeat(16 * 1024)}\n\n`;
      const t = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(t));
      req.resume();
    });
    const host = await listen(server);
    const r = await probe({ transport: 'http', url: `http://${host}/mcp` }, 'handshake', 5000, 512 * 1024);
    expectFailed(r, 'too_large', 5000);
  });

  it('an endless legacy SSE stream (GET) is cut by the byte cap too', async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = `: ${'x'.repeat(16 * 1024)}\n\n`;
      const t = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(t));
      req.resume();
    });
    const host = await listen(server);
    const r = await probe({ transport: 'sse', url: `http://${host}/sse` }, 'handshake', 5000, 512 * 1024);
    expectFailed(r, 'too_large', 5000);
  });

  it('a stdio server that dies on the call fails as process_exit', async () => {
    const cfg = await config({
      modules: { die: { kind: 'call', tool: 'die' } },
      targets: [{ name: 'local', endpoint: ep.local, modules: ['die'], timeout: 8000 }],
    });
    const t = cfg.targets[0]!;
    const r = await runProbe(t, 'die', moduleSpec('die', cfg.modules)!);
    expect(r, JSON.stringify(r)).toMatchObject({ success: false, kind: 'process_exit' });
    expect(r.reason).toMatch(/exited/);
  });

  it('a stdio command that exits at once fails as process_exit with its exit code', async () => {
    const endpoint = {
      transport: 'stdio',
      command: process.execPath,
      args: ['-e', 'console.error("boom"); process.exit(3)'],
    };
    const r = await probe(endpoint, 'handshake', 5000);
    expectFailed(r, 'process_exit', 5000);
    expect(r.result.reason).toMatch(/exited with code 3/);
  });

  it('a stdio server that never answers is killed at the timeout', async () => {
    const pidFile = join(tmp.dir, 'mute.pid');
    const code = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`;
    const endpoint = { transport: 'stdio', command: process.execPath, args: ['-e', code] };
    const cfg = await config({
      targets: [{ name: 'mute', endpoint, modules: ['handshake'], timeout: 2500 }],
    });
    const r = await runProbe(cfg.targets[0]!, 'handshake', moduleSpec('handshake', {})!);
    expect(r).toMatchObject({ success: false, kind: 'timeout' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    await eventually(() => !alive(pid), 5000);
  });

  it('bad TLS (a self-signed certificate) fails as tls', async () => {
    const key = join(tmp.dir, 'key.pem');
    const cert = join(tmp.dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    let requests = 0;
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      requests++;
      res.end();
    });
    const host = await listen(server as unknown as Server);
    const r = await probe({ transport: 'http', url: `https://${host}/mcp` }, 'handshake');
    expectFailed(r, 'tls');
    expect(r.result.reason).toMatch(/certificate/i);
    expect(requests).toBe(0);
  });
});
