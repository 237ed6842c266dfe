import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { type ProbeDaemon, startProbeDaemon } from '../../../probes/index.js';
import { eventually, startFleet } from '../../helpers/mocks.js';
import { endpointsOf, PROBE_FLEET, type TempDir, tempDir } from './fixtures.js';

let fleet: Fleet;
let ep: Record<string, Record<string, unknown>>;
let tmp: TempDir;
let daemon: ProbeDaemon;
let victim: Server;
let victimHits = 0;
let file: string;

const baseConfig = () => ({
  defaults: { interval: '2s', timeout: '2s' },
  modules: {
    echo: { kind: 'call', tool: 'echo', arguments: { message: 'hi' }, expect: { text: 'echo: hi' } },
  },
  targets: [
    { name: 'web', endpoint: ep.web, modules: ['handshake', 'tools', 'echo'], labels: { env: 'test' } },
  ],
});

beforeAll(async () => {
  fleet = await startFleet(PROBE_FLEET, { only: ['web', 'legacy'] });
  ep = endpointsOf(fleet);
  tmp = await tempDir();
  victim = createServer((_req, res) => {
    victimHits++;
    res.end();
  });
  victim.on('connection', () => victimHits++);
  await new Promise<void>((r) => victim.listen(0, '127.0.0.1', r));
  file = await tmp.write('probes.yaml', baseConfig());
  daemon = await startProbeDaemon(file, { port: 0 });
});
afterAll(async () => {
  await daemon?.close();
  victim?.closeAllConnections();
  await new Promise((r) => victim?.close(r));
  await fleet?.stop();
  await tmp?.remove();
});

const get = async (path: string) => {
  const res = await fetch(`${daemon.url}${path}`, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, text: await res.text() };
};

describe('probe daemon over HTTP', () => {
  it('/metrics: the schedule fills the probe series (with the target labels) and the daemon health', async () => {
    const text = await eventually(
      async () => {
        const t = (await get('/metrics')).text;
        const wanted = [
          /probe_success\{target="web",module="echo",env="test"\} 1/,
          /probe_success\{target="web",module="handshake",env="test"\} 1/,
          /mcp_probe_tools\{target="web",module="tools",env="test"\} 5/,
        ];
        return wanted.every((re) => re.test(t)) ? t : undefined;
      },
      15_000,
      200,
    );
    expect(text).toMatch(/probe_success\{target="web",module="handshake",env="test"\} 1/);
    expect(text).toMatch(
      /mcp_probe_phase_duration_seconds\{target="web",module="echo",env="test",phase="call"\}/,
    );
    expect(text).toMatch(/mcp_probe_catalog_hash\{target="web",module="tools",env="test"\} \d+/);
    expect(text).toMatch(
      /mcp_probe_call_duration_seconds_bucket\{le="1",target="web",module="echo",env="test"\}/,
    );
    expect(text).toMatch(/mcp_probe_daemon_probes_total\{result="success"\} [1-9]/);
    expect(text).toMatch(/mcp_probe_daemon_targets 1/);
    expect(text).toMatch(/process_cpu_seconds_total/);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('/probe runs one probe on demand and answers its metrics only', async () => {
    const r = await get('/probe?target=web&module=echo');
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/probe_success\{target="web",module="echo",env="test"\} 1/);
    expect(r.text).toMatch(
      /mcp_probe_call_duration_seconds_count\{target="web",module="echo",env="test"\} 1/,
    );
    expect(r.text).not.toMatch(/mcp_probe_daemon_|process_cpu/);
    expect((await get('/probe?target=web&module=nope')).status).toBe(400);
    expect((await get('/probe')).status).toBe(400);
  });

  it('/probe refuses a target that is neither configured nor allowed, and sends it nothing (SSRF)', async () => {
    const legacy = fleet.mocks.get('legacy')!;
    await legacy.clearCalls();
    const victimUrl = `http://127.0.0.1:${(victim.address() as AddressInfo).port}/mcp`;
    const cases = [
      [`/probe?target=${encodeURIComponent(victimUrl)}`, 403],
      [`/probe?target=${encodeURIComponent(String(ep.legacy!.url))}&transport=sse`, 403],
      ['/probe?target=not-configured', 400],
      [`/probe?target=${encodeURIComponent('http://169.254.169.254/latest/meta-data')}`, 403],
    ] as const;
    for (const [path, status] of cases) {
      const r = await get(path);
      expect(r.status, `${path}: ${r.text}`).toBe(status);
    }
    expect(victimHits).toBe(0);
    expect(await legacy.calls()).toEqual([]);
  });

  it('POST /-/reload: a valid config takes effect (allow list), an invalid one is refused and the old one kept', async () => {
    const legacyUrl = String(ep.legacy!.url);
    const allowed = { ...baseConfig(), allow: [new URL('/', legacyUrl).href] };
    allowed.targets[0]!.modules = ['handshake'];
    await tmp.write('probes.yaml', allowed);
    const ok = await fetch(`${daemon.url}/-/reload`, { method: 'POST' });
    expect(ok.status).toBe(200);
    const r = await get(`/probe?target=${encodeURIComponent(legacyUrl)}&transport=sse&module=handshake`);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toMatch(/probe_success\{target="[^"]+",module="handshake",env=""\} 1/);
    expect((await fleet.mocks.get('legacy')!.calls()).length).toBeGreaterThan(0);
    // The modules the new config dropped leave no series behind.
    const metrics = (await get('/metrics')).text;
    expect(metrics).not.toMatch(/module="echo"/);
    expect(metrics).toMatch(/mcp_probe_daemon_config_reloads_total\{result="success"\} 1/);

    await tmp.write('probes.yaml', { targets: [{ name: 'x', modules: ['nope'], interval: 'soon' }] });
    const bad = await fetch(`${daemon.url}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    const why = await bad.text();
    expect(why).toMatch(/targets\[0\]\.interval/);
    expect(why).toMatch(/targets\[0\]\.modules\[0\]: unknown module 'nope'/);
    expect(why).toMatch(/targets\[0\]: give exactly one of endpoint/);
    const after = (await get('/metrics')).text;
    expect(after).toMatch(/mcp_probe_daemon_config_last_reload_successful 0/);
    expect(after).toMatch(/mcp_probe_daemon_config_reloads_total\{result="failure"\} 1/);
    expect((await get('/probe?target=web&module=handshake')).status).toBe(200);
  });
});
