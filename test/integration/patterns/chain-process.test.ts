import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../../harness/config/fleet-file.js';
import { connectEndpoint } from '../../../harness/target/connect.js';
import { liveGroupCount } from '../../../harness/target/process.js';
import { startChain } from '../../../mocks/patterns/chain/index.js';
import { createFleet, type Fleet } from '../../../mocks/server/fleet.js';
import { expectGone } from '../../fixtures/target/helpers.js';
import { alive, eventually, startFleet } from '../../helpers/mocks.js';
import {
  CHAIN,
  connectUpstream,
  FLEET,
  resetFleet,
  structured,
  TRACEPARENT,
  textOf,
} from './chain-fixture.js';

/**
 * The chain as a process (main.ts, run through tsx so no build is needed):
 * HTTP and stdio upstream, flags, exit codes, clean shutdown; and the example
 * chain over its fleet, whose chat mock is a stdio server spawned per request.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'mocks/patterns/chain/main.ts');
const chainArgs = (...args: string[]) => ['--import', 'tsx', MAIN, ...args];

let dir: string;
let fleet: Fleet;
let serversFile: string;
let chainFile: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chain-process-'));
  fleet = await startFleet(FLEET);
  serversFile = await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
  chainFile = join(dir, 'chain.json');
  await writeFile(chainFile, JSON.stringify(CHAIN));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fleet?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Spawn main.ts; resolves with the process once a stderr line matches `ready` (or it exits). */
function runChain(args: string[], ready = /chain listening on (\S+)/) {
  const child = spawn(process.execPath, chainArgs(...args), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const matched = new Promise<RegExpExecArray | undefined>((resolve) => {
    child.stderr!.on('data', (b: Buffer) => {
      stderr += b.toString();
      const m = ready.exec(stderr);
      if (m) resolve(m);
    });
    void exited.then(() => resolve(undefined));
  });
  return { child, matched, exited, stderr: () => stderr };
}

describe('main.ts', () => {
  it('serves Streamable HTTP, prints its URL, and exits 0 on SIGTERM', async () => {
    const run = runChain(['--servers', serversFile, '--chain', chainFile, '--port', '0']);
    const m = await run.matched;
    expect(m, run.stderr()).toBeDefined();
    expect(m![1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connectUpstream(m![1]!);
    const r = await client.callTool({
      name: 'triage',
      arguments: { id: 5, channel: 'ops' },
      _meta: { traceparent: TRACEPARENT },
    });
    expect(textOf(r)).toBe('done: posted to #ops');
    await client.close();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await resetFleet(fleet);
  });

  it('applies repeated --defect flags', async () => {
    const run = runChain([
      '--servers',
      serversFile,
      '--chain',
      chainFile,
      '--defect',
      'no-trace',
      '--defect',
      'error-as-success',
    ]);
    const m = await run.matched;
    const client = await connectUpstream(m![1]!);
    await fleet.mocks.get('tracker')!.addFault({ type: 'tool-error', message: 'gone' });
    const r = await client.callTool({
      name: 'triage',
      arguments: { id: 5, channel: 'ops' },
      _meta: { traceparent: TRACEPARENT },
    });
    expect(r.isError).toBeFalsy();
    expect(structured(r)).toMatchObject({ failedStep: 'issue' });
    expect(
      (await fleet.mocks.get('tracker')!.calls({ method: 'tools/call' }))[0]!.traceparent,
    ).toBeUndefined();
    await client.close();
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    await resetFleet(fleet);
  });

  it('serves stdio (stdout carries only MCP) and its process group ends when the host closes it', async () => {
    const conn = await connectEndpoint(
      {
        transport: 'stdio',
        command: process.execPath,
        args: chainArgs('--servers', serversFile, '--chain', chainFile, '--transport', 'stdio'),
        env: {},
        cwd: ROOT,
      },
      { timeoutMs: 15_000 },
    );
    try {
      const r = await conn.client.callTool({ name: 'tagged', arguments: { tag: 'over-stdio' } });
      expect(structured(r)!.steps).toMatchObject({ step1: { structured: { tag: 'over-stdio' } } });
      expect(conn.stderr().join('\n')).toMatch(/chain serving on stdio/);
    } finally {
      await conn.close();
    }
    expectGone(conn.pid);
    await resetFleet(fleet);
  });

  it('exits 2 listing every problem of an invalid chain file', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'tools:\n  - name: t\n    pipeline: [{ server: tracker }]\n  - name: u\n');
    const run = runChain(['--servers', serversFile, '--chain', bad], /$^/);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/error \[INVALID_CONFIG\]/);
    expect(run.stderr()).toMatch(/tools\[0\]\.pipeline\[0\]\.tool: expected string/);
    expect(run.stderr()).toMatch(/tools\[1\]\.pipeline: give exactly one of pipeline or fanout/);
  });

  it('exits 2 on an unknown defect and on a missing flag', async () => {
    const unknown = runChain(['--servers', serversFile, '--chain', chainFile, '--defect', 'bogus'], /$^/);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toMatch(/--defect bogus: expected one of wrong-order/);
    const missing = runChain(['--chain', chainFile], /$^/);
    expect(await missing.exited).toBe(2);
    expect(missing.stderr()).toMatch(/--servers/);
  });
});

describe('the example chain over scenarios/fleets/chain-fleet.yaml', () => {
  it('runs its pipeline and fan-out across HTTP, SSE and per-request stdio servers, orphaning nothing', async () => {
    const fleetFile = join(ROOT, 'scenarios/fleets/chain-fleet.yaml');
    const example = createFleet(await loadFleet(fleetFile), { fleetFile });
    await example.start();
    try {
      const mcpServers = await example.writeMcpServersFile(join(dir, 'example', 'mcpServers.json'));
      const chain = await startChain({ mcpServers, chain: join(ROOT, 'scenarios/chains/example.yaml') });
      const client = await connectUpstream(chain.url!);
      const r = await client.callTool({ name: 'triage_issue', arguments: { id: 42, channel: 'dev' } });
      expect(textOf(r)).toBe(
        'Triaged issue 42: posted to #dev: Issue 42 (Crash on start when the config file is empty): src/config/parse.ts:12 parseConfig()',
      );
      const o = await client.callTool({ name: 'overview', arguments: { query: 'crash' } });
      expect(Object.keys(structured(o)!.results as object)).toEqual(['issues', 'code', 'messages']);
      await client.close();
      await chain.close();
      // Two composite calls → two chat processes, each closed with its request.
      const chat = await example.mocks.get('chat')!.calls({ method: 'tools/call' });
      const pids = chat.map((c) => Number(c.connection.replace(/^pid/, '')));
      expect(new Set(pids).size).toBe(2);
      await eventually(() => pids.every((p) => !alive(p)), 5_000);
      expect(liveGroupCount()).toBe(0);
    } finally {
      await example.stop();
    }
  });
});
