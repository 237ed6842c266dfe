import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

describe('check --concurrency', () => {
  it.each(['0', '1.5', 'many'])('%s is refused with exit 2, naming the flag', async (n) => {
    const r = await runCli(
      ['check', '--target', 'scenarios/targets/reference-gateway.yaml', '--concurrency', n],
      {
        cwd: ROOT,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--concurrency');
    expect(r.stderr).toContain('whole number');
  });

  it('1 runs the checks one at a time, in order, with the same verdicts', async () => {
    const only = ['gateway.handshake', 'gateway.ping', 'gateway.unknown-tool', 'http.session-id'];
    const args = [
      'check',
      '--target',
      'scenarios/targets/reference-gateway.yaml',
      '--only',
      ...only,
      '--no-progress',
    ];
    const [alone, together] = await Promise.all([
      runCli([...args, '--concurrency', '1'], { cwd: ROOT, timeout: 60_000 }),
      runCli(args, { cwd: ROOT, timeout: 60_000 }),
    ]);
    expect(alone.code).toBe(0);
    expect(together.code).toBe(0);
    const ids = (out: string) =>
      only.filter((id) => out.includes(id)).map((id) => [id, out.indexOf(id)] as const);
    expect(ids(alone.stdout).map(([id]) => id)).toEqual(only);
    expect(ids(together.stdout).map(([id]) => id)).toEqual(only);
  }, 90_000);
});
