import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTarget } from '../../harness/schema/target.js';
import { ROOT, runCli } from '../helpers/cli.js';

/**
 * `mcp-harness init` with flags (not a terminal): writes a commented target
 * file for the reference gateway, detects its naming by starting it once in
 * front of the conformance fleet, proves the file with gateway.handshake, and
 * prints the next command; the written file then passes `check` by itself.
 */

const GATEWAY = join(ROOT, 'dist/mocks/patterns/gateway/main.js');
const CMD = `${process.execPath} ${GATEWAY} --config {mcpServersFile} --port {port} --quiet`;

describe('mcp-harness init', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-harness-init-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 90_000);

  it('writes a target that passes a handshake check against the reference gateway', async () => {
    const r = await runCli(
      [
        'init',
        '--yes',
        '--name',
        'ref',
        '--cmd',
        CMD,
        '--ready',
        'log:gateway listening',
        '--out',
        'gw.yaml',
      ],
      { cwd: dir, timeout: 60_000 },
    );
    expect(r.stdout).toContain(`target file written: ${join(dir, 'gw.yaml')}`);
    expect(r.stdout).toMatch(/naming detected: alpha\.echo is exposed as alpha__echo/);
    expect(r.stdout).toMatch(/✓ gateway\.handshake {2}pass/);
    expect(r.stdout).toContain('next: npx mcp-harness check --target gw.yaml');
    expect(r.code).toBe(0);

    const text = await readFile(join(dir, 'gw.yaml'), 'utf8');
    expect(text).toMatch(/^# Target file written by `mcp-harness init`/);
    const spec = await loadTarget(join(dir, 'gw.yaml'));
    expect(spec.naming).toEqual({ mode: 'prefix', prefix: '{server}', separator: '__' });
    expect(spec.launch?.ready).toEqual({ log: 'gateway listening' });

    // The file stands on its own: a check against it reaches the tools by the detected names.
    const check = await runCli(
      [
        'check',
        '--target',
        'gw.yaml',
        '--only',
        'gateway.handshake',
        'gateway.tools-exposed-once',
        '--no-progress',
      ],
      { cwd: dir, timeout: 60_000 },
    );
    expect(check.stdout).toMatch(/✓ gateway\.tools-exposed-once/);
    expect(check.code).toBe(0);
  }, 90_000);

  it('a gateway that cannot start: the file is written, the proof says why (exit 3)', async () => {
    const r = await runCli(
      [
        'init',
        '--yes',
        '--naming',
        'prefix',
        '--cmd',
        `${process.execPath} -e process.exit(7) {mcpServersFile} {port}`,
        '--out',
        'dead.yaml',
      ],
      { cwd: dir, timeout: 60_000 },
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('✗ gateway.handshake');
    expect(r.stdout).toContain('next: edit dead.yaml');
  }, 90_000);

  it('bad flags: exit 2 with every problem; an existing file is kept without --yes', async () => {
    await writeFile(join(dir, 'keep.yaml'), 'mine\n');
    const r = await runCli(
      [
        'init',
        '--cmd',
        'gw --port {port}',
        '--transport',
        'pigeon',
        '--naming',
        'guess',
        '--out',
        'keep.yaml',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    for (const flag of ['--out', '--cmd', '--transport', '--naming'])
      expect(r.stderr).toContain(`  - ${flag}:`);
    expect(await readFile(join(dir, 'keep.yaml'), 'utf8')).toBe('mine\n');
  }, 90_000);
});
