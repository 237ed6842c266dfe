import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { runLoad } from '../../../harness/load/index.js';
import { echoFleet, type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

describe('fault timeline under load', () => {
  let fleet: LoadFleet;
  let dir: string;
  beforeAll(async () => {
    fleet = await startLoadFleet(echoFleet('http'));
    dir = await mkdtemp(join(tmpdir(), 'timeline-'));
  });
  afterAll(async () => {
    await fleet?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('errors appear when the fault is added, stop after it is cleared, and the time to recover is reported', async () => {
    const file = join(dir, 'timeline.yaml');
    await writeFile(
      file,
      [
        'timeline:',
        '  - { atMs: 1000, action: fault, server: m, fault: { type: http-status, status: 503 } }',
        '  - { atMs: 2000, action: clear, server: m }',
      ].join('\n'),
    );
    const r = await runLoad({
      target: MESH,
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool: 'm.echo',
      rate: 100,
      durationMs: 3500,
      workers: 1,
      faults: file,
    });
    const errs = r.seconds.map((s) => s.errors.http);
    expect(errs[0]).toBe(0); // before the fault
    expect(errs[1]).toBeGreaterThan(50); // the fault's second: 503s
    expect(r.seconds.at(-1)?.errors.http).toBe(0); // after the clear
    expect(r.errors.detail['http:503']).toBe(r.errors.http);
    expect(r.timeline.map((t) => [t.action, t.server])).toEqual([
      ['fault', 'm'],
      ['clear', 'm'],
    ]);
    const [fault, clear] = r.timeline;
    expect(fault?.atUs).toBeGreaterThanOrEqual(950_000);
    expect(fault?.recoveredAfterUs).toBeNull(); // errors lasted until the clear
    expect(clear?.recoveredAfterUs).not.toBeNull();
    expect(clear?.recoveredAfterUs as number).toBeLessThanOrEqual(1_000_000);
  });

  it('a mock killed and restarted: errors while it is down, sessions reopened after (a restart loses them)', async () => {
    const file = join(dir, 'kill.yaml');
    await writeFile(
      file,
      [
        'timeline:',
        '  - { atMs: 800, action: kill, server: m }',
        '  - { atMs: 1600, action: restart, server: m }',
      ].join('\n'),
    );
    const r = await runLoad({
      target: MESH,
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool: 'm.echo',
      rate: 50,
      durationMs: 3500,
      workers: 1,
      faults: file,
    });
    expect(r.timeline.map((t) => t.action)).toEqual(['kill', 'restart']);
    const errors = r.errors.transport + r.errors.http;
    expect(errors).toBeGreaterThan(10); // while it was down, and 404s for the lost session right after
    expect(r.seconds.at(-1)?.ok).toBe(r.seconds.at(-1)?.requests); // the last second: all good again
    expect(r.timeline[0]?.recoveredAfterUs).toBeNull();
    expect(r.timeline[1]?.recoveredAfterUs).not.toBeNull();
  });

  it('refuses a timeline naming an unknown server or a bad fault, with every problem', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      [
        'timeline:',
        '  - { atMs: 100, action: fault, server: nope, fault: { type: latency } }',
        '  - { atMs: 200, action: explode, server: m }',
      ].join('\n'),
    );
    const err = await runLoad({
      target: MESH,
      fleet: fleet.file,
      tool: 'm.echo',
      rate: 10,
      durationMs: 100,
      faults: file,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect(err.code).toBe('INVALID_CONFIG');
    const paths = err.problems.map((p: { path: string }) => p.path);
    expect(paths).toContain('faults.timeline[0].server');
    expect(paths.some((p: string) => p.startsWith('faults.timeline[0].fault'))).toBe(true); // latency needs ms or distribution
    expect(paths.some((p: string) => p.startsWith('faults.timeline[1]'))).toBe(true); // unknown action
  });
});
