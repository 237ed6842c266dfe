import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecksByEra } from '../../../harness/checks/eras-run.js';
import { isHarnessError } from '../../../harness/errors.js';
import { referenceGatewayTarget } from '../../../mocks/patterns/gateway/target.js';
import { referenceGateway } from '../../helpers/checks.js';
import { runCli } from '../../helpers/cli.js';

/**
 * `check --protocol legacy|modern|both`: each run pins the era on the target,
 * both runs every suite twice with results tagged (and titled) by era, and an
 * unknown value is refused before anything starts (exit 2, allowed values
 * named). The reference gateway runs from dist/ (`npm run build` first).
 */

const ONLY = ['modern.discover', 'cross-era.legacy-client-modern-backend'];

describe('--protocol', () => {
  it('both: every check once per era, tagged and side by side', { timeout: 60_000 }, async () => {
    const run = await runChecksByEra({ target: referenceGateway(), protocol: 'both', only: ONLY });
    const seen = run.results.map((r) => `${r.era} ${r.id} ${r.status}`);
    expect(seen).toEqual([
      'legacy modern.discover skip',
      'legacy cross-era.legacy-client-modern-backend pass',
      'modern modern.discover pass',
      'modern cross-era.legacy-client-modern-backend skip',
    ]);
    expect(run.results[0]?.title).toMatch(/^\[2025-11-25\] /);
    expect(run.results[2]?.title).toMatch(/^\[2026-07-28\] /);
  });

  it('a target file keeps its own relative paths when its protocol is pinned', {
    timeout: 60_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-era-'));
    try {
      await writeFile(
        join(dir, 'fleet.json'),
        JSON.stringify({ servers: [{ name: 'alpha', transport: 'http', tools: [{ name: 'hello' }] }] }),
      );
      const file = join(dir, 'gw.json');
      await writeFile(file, JSON.stringify({ ...referenceGatewayTarget(), checks: { fleet: 'fleet.json' } }));
      const run = await runChecksByEra({ target: file, protocol: 'modern', only: ['modern.discover'] });
      expect(run.results.map((r) => `${r.era} ${r.id} ${r.status}`)).toEqual(['modern modern.discover pass']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unknown value is INVALID_ARGS naming the allowed ones', async () => {
    const e = await runChecksByEra({ target: referenceGateway(), protocol: 'sideways' }).catch(
      (x: unknown) => x,
    );
    expect(isHarnessError(e) && e.exitCode).toBe(2);
    expect(isHarnessError(e) && e.render()).toMatch(/--protocol.*legacy, modern, both.*sideways/);
  });

  it('the CLI exits 2 on an unknown value before starting anything', { timeout: 30_000 }, async () => {
    const r = await runCli(['check', '--url', 'http://127.0.0.1:9/mcp', '--protocol', 'sideways'], {
      cwd: tmpdir(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--protocol/);
    expect(r.stderr).toMatch(/legacy, modern, both/);
  });
});
