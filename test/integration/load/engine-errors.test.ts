import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../../harness/load/index.js';
import { alive } from '../../helpers/mocks.js';
import { type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

// Errors by kind, as the hot path reads them off the wire, and a run stopped early.
describe('load errors and stopping', () => {
  let fleet: LoadFleet;
  beforeAll(async () => {
    const tool = (name: string) => ({ name, result: { text: 'ok' } });
    fleet = await startLoadFleet({
      servers: [
        {
          name: 'm',
          transport: 'http',
          tools: [tool('fails'), tool('broken'), tool('hangs'), tool('ok')],
          faults: [
            { type: 'tool-error', tools: ['fails'] },
            { type: 'protocol-error', tools: ['broken'], code: -32042 },
            { type: 'hang', tools: ['hangs'] },
          ],
        },
      ],
    });
  });
  afterAll(() => fleet?.dispose());
  const run = (tool: string, extra: Record<string, unknown> = {}) =>
    runLoad({
      target: MESH,
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool,
      rate: 20,
      durationMs: 500,
      workers: 1,
      ...extra,
    });

  it('isError results, JSON-RPC errors (by code) and timeouts are counted by kind', async () => {
    const [fails, broken, hangs] = await Promise.all([
      run('m.fails'),
      run('m.broken'),
      run('m.hangs', { timeoutMs: 300 }),
    ]);
    expect(fails.errors.isError).toBe(10);
    expect(fails.errors.detail).toEqual({ isError: 10 });
    expect(broken.errors.jsonrpc).toBe(10);
    expect(broken.errors.detail).toEqual({ 'jsonrpc:-32042': 10 });
    expect(hangs.errors.timeout).toBe(10);
    expect(hangs.completed).toBe(10);
    expect(hangs.seconds.reduce((n, s) => n + s.errors.timeout, 0)).toBe(10);
  });

  it('an abort stops the run early, reports what was done, and leaves no process behind', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const seconds: number[] = [];
    const r = await runLoad(
      { target: MESH, fleet: fleet.file, tool: 'm.ok', rate: 50, durationMs: 30_000, workers: 2 },
      {
        signal: ac.signal,
        onStart: () => setTimeout(() => ac.abort(), 1200),
        onSecond: (s) => seconds.push(s.second),
      },
    );
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.completed).toBeGreaterThan(20);
    expect(r.completed).toBeLessThan(200);
    expect(seconds[0]).toBe(0);
    // runLoad started its own fleet process here (no fleetAt): no child but the shared fleet is left.
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((pid) => pid > 0 && alive(pid));
    expect(children.filter((pid) => pid !== fleet.pid)).toEqual([]);
    expect(alive(fleet.pid)).toBe(true);
  });
});
