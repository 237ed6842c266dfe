import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompare } from '../../../harness/compare/run-compare.js';
import type { CompareResult } from '../../../harness/compare/schema.js';
import { freePort } from '../../../harness/target/launch.js';
import { type DelayProxy, startDelayProxy } from './delay-proxy.js';

/**
 * The comparison is truthful: a known delay on a gateway-only hop (a TCP
 * proxy holding each request DELAY_MS in front of the reference gateway)
 * shows up in the gateway's overhead and nowhere else, and the chain's
 * composite replaces its steps' calls by one.
 */
const DELAY_MS = 300;

let dir: string;
let proxy: DelayProxy;
let result: CompareResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-truth-'));
  const gatewayPort = await freePort();
  proxy = await startDelayProxy(gatewayPort, DELAY_MS);
  const target = join(dir, 'delayed-gateway.yaml');
  await writeFile(
    target,
    JSON.stringify({
      name: 'delayed-gateway',
      pattern: 'gateway',
      endpoint: { transport: 'http', url: `http://127.0.0.1:${proxy.port}/mcp` },
      launch: {
        command: 'node',
        args: [
          join(process.cwd(), 'dist/mocks/patterns/gateway/main.js'),
          '--config',
          '{mcpServersFile}',
          '--port',
          String(gatewayPort),
          '--timeout-ms',
          '8000',
          '--quiet',
        ],
        ready: { log: 'gateway listening on http://' },
      },
      naming: { mode: 'prefix', prefix: '{server}', separator: '__' },
      timeoutMs: 10_000,
    }),
  );
  result = await runCompare('scenarios/compare/bug-triage.yaml', {
    targets: ['mesh', target, 'scenarios/targets/reference-chain.yaml'],
    iterations: 3,
    warmup: 1,
  });
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const byPattern = (pattern: string) => {
  const p = result.patterns.find((x) => x.pattern === pattern);
  if (!p) throw new Error(`no ${pattern} in the result`);
  return p;
};

describe('compare is truthful', () => {
  it('every pattern completed every workflow', () => {
    expect(result.patterns.map((p) => [p.target, p.status, p.workflows])).toEqual([
      ['mesh', 'pass', 3],
      ['delayed-gateway', 'pass', 3],
      ['reference-chain', 'pass', 3],
    ]);
  });

  it("a delay on the gateway's hop is the gateway's overhead, not downstream and not the mesh's", () => {
    const gw = byPattern('gateway');
    const mesh = byPattern('mesh');
    for (const u of gw.units) {
      expect(u.overhead.p50, `gateway ${u.name} overhead`).toBeGreaterThanOrEqual(DELAY_MS * 1000 * 0.8);
      expect(u.downstream.p50, `gateway ${u.name} downstream`).toBeLessThan(DELAY_MS * 1000);
    }
    expect(gw.workflow.overhead.p50).toBeGreaterThanOrEqual(gw.units.length * DELAY_MS * 1000 * 0.8);
    for (const u of mesh.units) {
      expect(u.overhead.p50, `mesh ${u.name} overhead`).toBeLessThan((DELAY_MS * 1000) / 2);
      expect(u.downstream.p50, `mesh ${u.name} downstream`).toBeLessThan(DELAY_MS * 1000);
    }
    const chain = byPattern('chain');
    expect(chain.units[0]?.downstream.p50).toBeLessThan(DELAY_MS * 1000);
  });

  it("the chain's composite sends one request where the mesh sends one per step; the mocks serve the same calls", () => {
    const mesh = byPattern('mesh');
    const chain = byPattern('chain');
    const gw = byPattern('gateway');
    const composite = chain.units[0];
    expect(composite?.steps).toEqual(['issue', 'code', 'notify']);
    expect(mesh.roundTrips.client).toBe(3);
    expect(gw.roundTrips.client).toBe(3);
    expect(chain.roundTrips.client).toBe(1);
    expect(mesh.roundTrips.client - chain.roundTrips.client).toBe((composite?.steps.length ?? 0) - 1);
    for (const p of [mesh, gw, chain]) expect(p.roundTrips.downstreamToolCalls, p.target).toBe(3);
    expect(chain.bytes.sent).toBeLessThan(mesh.bytes.sent);
    expect(chain.catalogue.tools).toBe(2);
    expect(mesh.catalogue.tokens).toBeGreaterThan(chain.catalogue.tokens);
  });
});
