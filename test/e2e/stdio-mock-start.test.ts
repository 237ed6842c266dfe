import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stdioMockArgs } from '../../harness/cli/stdio-mock-entry.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';

/**
 * `mcp-harness mock --fleet F --server N --stdio` is what a SUT spawns for
 * every session: it starts on a slim path (no argument parser loaded), serves
 * a real SDK client, and any other shape of arguments, or a server the fleet
 * lacks, still gets the full CLI's answer (exit 2 with the problem).
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-stdio-start-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('stdio mock start path', () => {
  it('takes exactly `mock --fleet F --server N --stdio` (any order, `--flag=value` too)', () => {
    const want = { fleet: 'conformance', server: 'gamma' };
    expect(stdioMockArgs(['mock', '--fleet', 'conformance', '--server', 'gamma', '--stdio'])).toEqual(want);
    expect(stdioMockArgs(['mock', '--stdio', '--server=gamma', '--fleet=conformance'])).toEqual(want);
    for (const other of [
      ['mock', '--fleet', 'conformance', '--server', 'gamma'], // not --stdio
      ['mock', '--fleet', 'conformance', '--stdio'], // no server
      ['mock', '--fleet', 'conformance', '--server', 'gamma', 'beta', '--stdio'], // two servers
      ['mock', '--fleet', 'conformance', '--server', 'gamma', '--stdio', '--host', '0.0.0.0'],
      ['mock', '--fleet', '--server', 'gamma', '--stdio'],
      ['run', '--fleet', 'conformance', '--server', 'gamma', '--stdio'],
    ])
      expect(stdioMockArgs(other), other.join(' ')).toBeUndefined();
  });

  it('serves a real client without loading the CLI parser', async () => {
    const out = join(dir, 'loaded.json');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mock', '--fleet', 'conformance', '--server', 'gamma', '--stdio'],
      cwd: ROOT,
      env: {
        ...getDefaultEnvironment(),
        NODE_OPTIONS: `--require ${join(ROOT, 'test/fixtures/cli/loaded-packages.cjs')}`,
        LOADED_PACKAGES_OUT: out,
      },
    });
    const client = new Client({ name: 'stdio-start-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['status']);
      const r = await client.callTool({ name: 'status', arguments: {} });
      expect(r.content).toEqual([{ type: 'text', text: 'gamma ok' }]);
    } finally {
      await client.close();
    }
    // The process wrote what it loaded when it exited (stdin closed).
    const until = Date.now() + 5_000;
    let loaded: string[] | undefined;
    while (!loaded && Date.now() < until) {
      loaded = await readFile(out, 'utf8').then(JSON.parse, () => undefined);
      if (!loaded) await new Promise((r) => setTimeout(r, 50));
    }
    expect(loaded).toBeDefined();
    expect(loaded).not.toContain('commander');
  });

  it('a server the fleet lacks: the full CLI answers, exit 2 naming it', async () => {
    const r = await runCli(['mock', '--fleet', 'conformance', '--server', 'nope', '--stdio'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'nope' is not one of alpha, beta, gamma, delta");
  });

  it('a fleet file that is not there: the full CLI answers with the file named', async () => {
    const r = await runCli(['mock', '--fleet', 'missing.yaml', '--server', 'x', '--stdio'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('missing.yaml');
  });
});
