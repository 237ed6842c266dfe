import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { planLoad, runLoad } from '../../../harness/load/index.js';
import { RESPONSE_METRIC } from '../../../harness/load/recorder.js';
import { loadExitCode } from '../../../harness/load/thresholds.js';
import { hist, type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

// A scenario as the load iteration: references rendered per call, expectations counted, waits waited.
describe('load: scenario iterations', () => {
  let fleet: LoadFleet;
  let dir: string;
  beforeAll(async () => {
    // `echo` answers with its arguments (text and structuredContent).
    fleet = await startLoadFleet({
      servers: [{ name: 'm', transport: 'http', tools: [{ name: 'echo', result: { echo: true } }] }],
    });
    dir = await mkdtemp(join(tmpdir(), 'load-scenario-'));
  });
  afterAll(async () => {
    await fleet?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const scenarioFile = async (name: string, body: Record<string, unknown>) => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify({ name, fleet: fleet.file, ...body }));
    return file;
  };

  it('renders {{steps…}}, {{vars…}} and {{iteration}} per call and counts expectations per step', async () => {
    const scenario = await scenarioFile('refs', {
      vars: { label: 'L' },
      steps: [
        { name: 'first', call: 'm.echo', args: { n: 7 }, expect: { structured: { n: 7 } } },
        {
          name: 'second',
          call: 'm.echo',
          args: { n: '{{steps.first.structured.n}}', v: 'v-{{vars.label}}' },
          expect: { structured: { n: 7, v: 'v-L' } },
        },
        { repeat: 2, steps: [{ name: 'again', call: 'm.echo', args: { i: '{{iteration}}' } }] },
        { name: 'wrong', call: 'm.echo', args: { n: 1 }, expect: { text: 'never-there' } },
      ],
      thresholds: {},
    });
    await fleet.fleet.mocks.get('m')?.clearCalls();
    const r = await runLoad({
      target: MESH,
      scenario,
      fleetAt: fleet.controlUrl,
      connections: 2,
      iterations: 4,
      workers: 1,
      thresholds: [
        'expectations{step:second}:rate==0',
        'expectations:rate<0.1',
        'expectations{step:wrong,expectation:text}:rate==1',
      ],
    });
    expect(r.completed).toBe(8);
    expect(r.errors.transport).toBe(0);
    const count = (step: string, expectation: string) =>
      r.expectations.find((e) => e.step === step && e.expectation === expectation);
    // Rendered from the first step's answer: every call of `second` saw n = 7 and v-L.
    expect(count('second', 'structured.n')).toEqual({
      step: 'second',
      expectation: 'structured.n',
      passed: 8,
      failed: 0,
    });
    expect(count('second', 'structured.v')?.passed).toBe(8);
    expect(count('first', 'outcome')).toMatchObject({ passed: 8, failed: 0 });
    expect(count('wrong', 'text')).toMatchObject({ passed: 0, failed: 8 });
    // Steps without expect are not evaluated.
    expect(r.expectations.some((e) => e.step === 'again')).toBe(false);
    expect(r.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['expectations{step:second}:rate==0', true],
      ['expectations:rate<0.1', false],
      ['expectations{step:wrong,expectation:text}:rate==1', true],
    ]);
    expect(loadExitCode(r)).toBe(1);
    // What the mock received: `second` the rendered values (a number stays a number), `again` its repeat index.
    const calls = (await fleet.fleet.mocks.get('m')?.calls({ method: 'tools/call' })) ?? [];
    const args = calls.map((c) => c.arguments ?? {});
    const seconds = args.filter((a) => a.v === 'v-L');
    expect(seconds.length).toBeGreaterThanOrEqual(8);
    expect(seconds.every((a) => a.n === 7)).toBe(true);
    const again = args.filter((a) => 'i' in a).map((a) => a.i);
    expect(again.filter((i) => i === 0).length).toBe(again.filter((i) => i === 1).length);
    expect(new Set(again)).toEqual(new Set([0, 1]));
  }, 20_000);

  it('a wait step is waited in every iteration', async () => {
    const scenario = await scenarioFile('wait', {
      steps: [{ name: 'a', call: 'm.echo' }, { wait: 150 }, { name: 'b', call: 'm.echo' }],
    });
    const r = await runLoad({
      target: MESH,
      scenario,
      fleetAt: fleet.controlUrl,
      connections: 1,
      iterations: 3,
      workers: 1,
    });
    expect(r.completed).toBe(3);
    expect(r.sent).toBe(6);
    expect(hist(r, RESPONSE_METRIC).min).toBeGreaterThanOrEqual(150_000);
  }, 20_000);

  it('refuses fault, kill and restart steps in the iteration at plan time, naming each', async () => {
    const scenario = await scenarioFile('faulty', {
      steps: [
        { name: 'a', call: 'm.echo' },
        { fault: { server: 'm', add: { type: 'http-status', status: 503 } } },
        { repeat: 2, steps: [{ kill: 'm' }, { restart: 'm' }] },
      ],
    });
    const e = await planLoad({ target: MESH, scenario, connections: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).exitCode).toBe(2);
    const problems = (e as HarnessError).problems;
    expect(problems.map((p) => p.path)).toEqual(['steps[1]', 'steps[2].steps[0]', 'steps[2].steps[1]']);
    for (const p of problems) expect(p.message).toMatch(/cannot run inside a load iteration.*fault timeline/);
  });
});
