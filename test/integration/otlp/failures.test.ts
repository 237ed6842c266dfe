import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createOtlpExport } from '../../../harness/measure/otlp.js';
import { freePort } from '../../../harness/target/launch.js';
import { ROOT, runCli } from '../../helpers/cli.js';

/** A collector that is down or never answers: the run still ends, with the failure said once. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-otlp-fail-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('OTLP export to a misbehaving collector', () => {
  it('a collector that is down: the run passes and stderr names the failed export', async () => {
    const port = await freePort(); // nothing listens there
    const file = join(dir, 'one.yaml');
    await writeFile(
      file,
      stringify({
        name: 'one',
        fleet: { servers: [{ name: 's', transport: 'http', tools: [{ name: 't' }] }] },
        steps: [{ call: 's.t' }],
      }),
    );
    const r = await runCli(
      ['run', file, '--otlp', `http://127.0.0.1:${port}`, '--no-progress', '--report-dir', dir],
      {
        cwd: ROOT,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`otlp: export of traces to http://127.0.0.1:${port} failed`));
  });

  it('a collector that never answers: shutdown ends at the export timeout with the reason', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server: Server = createServer(() => {}); // reads requests, never answers
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reasons: string[] = [];
    const otlp = createOtlpExport({
      url,
      timeoutMs: 500,
      onFailure: (signal, reason) => reasons.push(`${signal}: ${reason}`),
    });
    try {
      const span = otlp.tracing.startClientSpan({ method: 'tools/call', toolName: 't' });
      otlp.tracing.endSpan(span, { result: {} });
      const t0 = Date.now();
      await otlp.shutdown();
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(
        reasons.some((r) => r.startsWith('traces:')),
        reasons.join('\n'),
      ).toBe(true);
      expect(otlp.failures().length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});
