import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { TransportBaseline } from '../../../harness/measure/baseline.js';
import { createTracing } from '../../../harness/measure/otel.js';
import { startCalibration } from '../../../harness/runner/calibrate.js';
import { calibrationFleet, placementOf, responseModeOf } from '../../../harness/runner/calibration-fleet.js';
import { spawnFleetChild } from '../../../harness/runner/fleet-child.js';
import { fleetEndpoints } from '../../../harness/runner/fleet-endpoints.js';
import { runScenario } from '../../../harness/runner/run-scenario.js';
import { connectRemoteFleet } from '../../../mocks/server/remote-fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * Calibration, functionally: it measures at every concurrency the scenario
 * uses, the first calls of a fresh connection on their own, in rounds that a
 * long run repeats between its steps, against a mock placed like the SUT.
 */

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('calibration', () => {
  it('in its own process: cold first calls, a round per concurrency level; close ends the process', async () => {
    const calibration = await startCalibration(new Set(['http'] as const), {
      tracing: createTracing({ keepInMemory: false }),
      concurrency: [3],
      placement: 'process',
    });
    let children: number[] = [];
    try {
      await calibration.measure(9);
      const tb = calibration.model().http as TransportBaseline;
      expect(tb.cold).toHaveLength(5);
      expect(tb.rounds.map((r) => [r.concurrency, r.diffs.length])).toEqual([
        [1, 9],
        [3, 9],
      ]);
      for (const d of [...tb.cold, ...tb.rounds.flatMap((r) => r.diffs)]) expect(d).toBeGreaterThan(0);
      const { execSync } = await import('node:child_process');
      children = execSync(`ps -o pid= --ppid ${process.pid}`)
        .toString()
        .split('\n')
        .map(Number)
        .filter((n) => n > 0 && processExists(n));
      expect(children.length).toBeGreaterThan(0);
    } finally {
      await calibration.close();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(children.filter(processExists)).toEqual([]);
  });

  it('is placed like the SUT: local for a mesh over this process’s mocks, its own process otherwise', async () => {
    const fleet = await startFleet({ servers: [{ name: 'a', transport: 'http', tools: [{ name: 't' }] }] });
    try {
      const eps = Object.values(fleetEndpoints(fleet));
      expect(placementOf('mesh', fleet, eps)).toBe('local');
      expect(placementOf('gateway', fleet, eps)).toBe('process');
      expect(
        placementOf('mesh', fleet, [{ transport: 'http', url: 'http://127.0.0.1:1/mcp' }] as never),
      ).toBe('process');
      expect(placementOf('mesh', undefined, eps)).toBe('process');
    } finally {
      await fleet.stop();
    }
  });

  it('over a fleet served by another process: hosted by that process, once per transport and mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibration-host-'));
    const spec = { servers: [{ name: 'a', transport: 'http' as const, tools: [{ name: 't' }] }] };
    await writeFile(join(dir, 'fleet.json'), JSON.stringify(spec));
    const host = await spawnFleetChild(join(dir, 'fleet.json'), join(dir, 'mcp.json'), 'the test fleet');
    try {
      const fleet = await connectRemoteFleet(host.controlUrl, spec);
      const eps = Object.values(fleetEndpoints(fleet));
      expect(placementOf('mesh', fleet, eps)).toBe('fleet');
      expect(placementOf('gateway', fleet, eps)).toBe('fleet');
      const first = await calibrationFleet('http', 'fleet', dir, 'json', fleet);
      const again = await calibrationFleet('http', 'fleet', dir, 'json', fleet);
      const url = first.mocks.get('calibration')?.endpoint()?.url;
      expect(url).toBeDefined();
      expect(again.mocks.get('calibration')?.endpoint()?.url).toBe(url);
      // Served by the fleet's process: the same process answers the fleet's mock and the calibration mock.
      expect(first.controlUrl).not.toBe(host.controlUrl);
      const client = new Client({ name: 't', version: '0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url as string)));
      await client.callTool({ name: 'noop', arguments: { n: 7 } });
      await client.close();
      expect(
        (await first.mocks.get('calibration')?.calls({ tool: 'noop' }))?.map((r) => r.arguments),
      ).toEqual([{ n: 7 }]);
      // Not one of the fleet's servers: the fleet's listing is unchanged.
      const listed = (await (await fetch(`${host.controlUrl}/mocks`)).json()) as Array<{ name: string }>;
      expect(listed.map((m) => m.name)).toEqual(['a']);
      const bad = await fetch(`${host.controlUrl}/calibration`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transport: 'stdio' }),
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('transport');
      await first.stop(); // leaves the hosted mock to its host
      expect((await fetch(url as string, { method: 'GET' })).status).toBeLessThan(500);
    } finally {
      await host.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers HTTP the way the target does: from the fleet spec, else by asking the endpoint once', async () => {
    const fleet = await startFleet({
      servers: [
        { name: 'j', transport: 'http', http: { response: 'json' }, tools: [{ name: 't' }] },
        { name: 's', transport: 'http', tools: [{ name: 't' }] },
      ],
    });
    try {
      const eps = fleetEndpoints(fleet);
      expect(await responseModeOf(eps.j, fleet)).toBe('json');
      expect(await responseModeOf(eps.s, fleet)).toBe('sse');
      // Not known as a fleet mock (a gateway, say): asked with an initialize, its session deleted.
      expect(await responseModeOf(eps.j, undefined)).toBe('json');
      expect(await responseModeOf(eps.s, undefined)).toBe('sse');
      const sessions = (await fleet.mocks.get('j')!.calls()).filter((r) => r.method === 'initialize');
      expect(sessions).toHaveLength(1);
      expect(
        await responseModeOf({ transport: 'http', url: 'http://127.0.0.1:1/mcp', headers: {} }, undefined),
      ).toBe('sse');
    } finally {
      await fleet.stop();
    }
  });

  it('a run recalibrates between top-level steps once the last round is old enough', async () => {
    const spec = { servers: [{ name: 'api', transport: 'http' as const, tools: [{ name: 'work' }] }] };
    const fleet = await startFleet(spec);
    const rounds: number[] = [];
    try {
      const result = await runScenario(
        {
          fleet: spec,
          steps: [
            { name: 'a', call: 'api.work' },
            { wait: 400 },
            { name: 'b', call: 'api.work' },
            {
              parallel: [
                { name: 'c', call: 'api.work' },
                { name: 'd', call: 'api.work' },
              ],
            },
          ],
        },
        { fleet, recalibrateMs: 250, onCalibration: (m) => rounds.push(m.http?.rounds.length ?? 0) },
      );
      expect(result.status).toBe('pass');
      // Before the steps: concurrency 1 and 2 (the parallel group); again before 'b' (the wait
      // made the last round older than 250 ms; 'b' itself is quick) and after the steps.
      expect(rounds).toEqual([2, 4, 6]);
      expect(result.baselineUs?.http).toBeGreaterThan(0);
      for (const s of result.steps.filter((x) => x.kind === 'call')) expect(s.overheadUs).toBeDefined();
    } finally {
      await fleet.stop();
    }
  });

  it('after the steps, calibrates at their pace: the harness’s own work between two calls, replayed', async () => {
    const spec = { servers: [{ name: 'api', transport: 'http' as const, tools: [{ name: 'work' }] }] };
    const fleet = await startFleet(spec);
    try {
      let model: Record<string, TransportBaseline | undefined> = {};
      const result = await runScenario(
        { fleet: spec, steps: [{ repeat: 8, steps: [{ name: 'a', call: 'api.work' }] }] },
        { fleet, onCalibration: (m) => (model = m) },
      );
      expect(result.status).toBe('pass');
      const [before, after] = model.http?.rounds ?? [];
      expect(before?.gapUs).toBeUndefined();
      expect(after?.gapUs).toBeGreaterThanOrEqual(0);
    } finally {
      await fleet.stop();
    }
  });
});
