import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../harness/runner/run-scenario.js';
import type { ScenarioResult } from '../../../harness/schema/result.js';
import { liveGroupCount } from '../../../harness/target/process.js';

/**
 * A misbehaving SUT fails steps with a reason, within the deadline + 1 s, and
 * leaves no process behind (the harness counts the process groups it owns).
 */

const raw = fileURLToPath(new URL('../../fixtures/target/raw-stdio.mjs', import.meta.url));

const fleet = { servers: [{ name: 'api', transport: 'http', tools: [{ name: 'work' }] }] };

function stdioTarget(mode: string, extra: Record<string, unknown> = {}) {
  return {
    pattern: 'gateway',
    naming: { mode: 'identity' },
    endpoint: { transport: 'stdio', command: process.execPath, args: [raw, mode] },
    ...extra,
  };
}

async function timed(run: () => Promise<ScenarioResult>): Promise<{ result: ScenarioResult; ms: number }> {
  const before = liveGroupCount();
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  expect(liveGroupCount(), 'process groups left behind').toBe(before);
  return { result, ms };
}

describe('a misbehaving SUT', () => {
  it('hangs on a call: the step fails at its deadline with a reason; later steps still run', async () => {
    const { result } = await timed(() =>
      runScenario({
        fleet,
        calibrate: false,
        target: stdioTarget('hang-calls'),
        steps: [
          { name: 'stuck', call: 'p1_a', timeout: '800ms' },
          { name: 'after', call: 'p1_b', timeout: '300ms' },
        ],
      }),
    );
    const [stuck, after] = result.steps;
    expect(result.status).toBe('fail');
    expect(stuck).toMatchObject({ status: 'fail', outcome: 'timeout' });
    expect(stuck!.reason).toMatch(/no response within the 800 ms step deadline/);
    expect(stuck!.durationUs).toBeGreaterThanOrEqual(800_000);
    expect(stuck!.durationUs).toBeLessThan(1_800_000);
    expect(after).toMatchObject({ status: 'fail', outcome: 'timeout' });
  });

  it('hangs at the handshake: every step fails with the reason within the connect timeout + 1 s', async () => {
    const { result, ms } = await timed(() =>
      runScenario({
        fleet,
        target: stdioTarget('hang', { timeoutMs: 1000 }),
        steps: [{ call: 'p1_a' }, { wait: 10 }],
      }),
    );
    expect(ms).toBeLessThan(1000 + 1000 + 500); // + fleet start-up
    expect(result.error?.code).toBe('SUT_UNREACHABLE');
    expect(result.steps[0]).toMatchObject({ status: 'fail', outcome: 'transport' });
    expect(result.steps[0]!.reason).toMatch(/could not run: .*(timed out|no answer|handshake)/i);
    expect(result.steps[1]).toMatchObject({ status: 'skip' });
  });

  it('exits at start: the reason carries its exit code and stderr', async () => {
    const { result, ms } = await timed(() =>
      runScenario({ fleet, target: stdioTarget('exit'), steps: [{ call: 'p1_a' }] }),
    );
    expect(ms).toBeLessThan(5000);
    expect(result.error?.code).toBe('SUT_UNREACHABLE');
    expect(result.steps[0]!.reason).toMatch(/exit/i);
    expect(result.error?.message).toMatch(/cannot read config file/);
  });

  it('prints garbage on stdout: the reason says stdout is not JSON-RPC', async () => {
    const { result, ms } = await timed(() =>
      runScenario({ fleet, target: stdioTarget('garbage', { timeoutMs: 1000 }), steps: [{ call: 'p1_a' }] }),
    );
    expect(ms).toBeLessThan(1000 + 1000 + 500);
    expect(result.error?.code).toBe('SUT_UNREACHABLE');
    expect(result.error?.message).toMatch(/not JSON-RPC/);
  });

  it('a launched SUT that never becomes ready: SUT_START_FAILED, and the process group is gone', async () => {
    const { result, ms } = await timed(() =>
      runScenario({
        fleet,
        target: {
          pattern: 'gateway',
          endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
          launch: {
            command: process.execPath,
            args: [raw, 'hang'],
            ready: { log: 'never printed' },
            readyTimeoutMs: 800,
          },
        },
        steps: [{ call: 'api.work' }],
      }),
    );
    expect(ms).toBeLessThan(800 + 1000 + 1000);
    expect(result.error?.code).toBe('SUT_START_FAILED');
    expect(result.steps[0]).toMatchObject({ status: 'fail' });
  });
});
