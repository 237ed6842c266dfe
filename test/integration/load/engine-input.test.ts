import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { planLoad, runLoad } from '../../../harness/load/index.js';
import { RESPONSE_METRIC, SERVICE_METRIC } from '../../../harness/load/recorder.js';
import { echoFleet, hist, MESH } from './engine-fixture.js';

describe('load input and scenarios', () => {
  let dir: string;
  let fleetFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'load-input-'));
    fleetFile = join(dir, 'fleet.json');
    await writeFile(fleetFile, JSON.stringify(echoFleet('http')));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const problemsOf = async (input: Record<string, unknown>) => {
    const e = await planLoad({ target: MESH, fleet: fleetFile, ...input } as never).catch((x) => x);
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).code).toBe('INVALID_CONFIG');
    expect((e as HarnessError).exitCode).toBe(2);
    return (e as HarnessError).problems;
  };

  it('lists every problem of the options at once, by path', async () => {
    const problems = await problemsOf({
      tool: 'm.echo',
      rate: 0,
      stages: [{ durationMs: -1, target: 5 }],
      shard: { index: 3, count: 2 },
    });
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('rate');
    expect(paths.some((p) => p.startsWith('stages[0]'))).toBe(true);
    expect(paths.some((p) => p.startsWith('shard'))).toBe(true);
  });

  it('an unknown tool, a missing executor option, and both tool and scenario', async () => {
    expect(await problemsOf({ tool: 'm.nope', rate: 5 })).toEqual([
      { path: 'tool', message: "no tool 'nope' on fleet server 'm' (it has echo)" },
    ]);
    expect(
      (await problemsOf({ tool: 'm.echo', executor: 'constant-arrival-rate' })).map((p) => p.path),
    ).toEqual(['rate']);
    const both = await problemsOf({ tool: 'm.echo', scenario: join(dir, 'x.yaml'), connections: 1 });
    expect(both.map((p) => p.path)).toContain('tool');
  });

  it('a scenario as the iteration: the whole workflow per iteration, a service-time histogram per step', async () => {
    const scenario = join(dir, 'flow.json');
    await writeFile(
      scenario,
      JSON.stringify({
        name: 'flow',
        fleet: 'fleet.json',
        steps: [
          { name: 'first', call: 'm.echo', args: { a: 1 } },
          {
            parallel: [
              { name: 'left', call: 'm.echo' },
              { name: 'right', call: 'm.echo' },
            ],
          },
        ],
      }),
    );
    const r = await runLoad({ target: MESH, scenario, connections: 2, iterations: 5, workers: 1 });
    expect(r.completed).toBe(10);
    expect(r.sent).toBe(30); // three calls per iteration
    expect(hist(r, RESPONSE_METRIC).count).toBe(10);
    for (const step of ['first', 'left', 'right']) expect(hist(r, SERVICE_METRIC, { step }).count).toBe(10);
  });
});
