import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadySpec, type TargetInput, TargetSpecSchema } from '../../../harness/schema/target.js';
import { liveGroupCount } from '../../../harness/target/process.js';
import { openTarget, ToolNotMappedError } from '../../../harness/target/target.js';
import { expectGone, fixture, harnessError, readPid, tsNode } from '../../fixtures/target/helpers.js';

/** `${NAME}` without tripping the template-literal lint. */
const ref = (name: string) => '$' + '{' + name + '}';

const node = process.execPath;
const spec = (t: TargetInput) => TargetSpecSchema.parse(t);
const textOf = (r: { content: unknown }) => (r.content as Array<{ text: string }>)[0]?.text;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'target-open-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  expect(liveGroupCount()).toBe(0);
});

describe('openTarget with a launch recipe', () => {
  const httpGateway = (ready: ReadySpec | undefined) =>
    spec({
      pattern: 'gateway',
      endpoint: {
        transport: 'http',
        url: 'http://127.0.0.1:{port}/mcp',
        headers: { 'X-Token': ref('TARGET_TEST_TOKEN') },
      },
      launch: {
        command: node,
        args: tsNode('http-server.ts', '--port', '{port}', '--delay-ms', '200', '--header', 'X-Token=t0k'),
        ready,
        configTemplate: {
          path: '{workDir}/gw.json',
          content: '{"port": {port}, "servers": "{mcpServersFile}"}',
        },
      },
    });

  it.each<[string, ReadySpec | undefined]>([
    ['http', { http: 'http://127.0.0.1:{port}/mcp' }],
    ['log', { log: 'listening on http://127\\.0\\.0\\.1:{port}/mcp' }],
    ['handshake', { handshake: true }],
    ['default (handshake)', undefined],
  ])(
    'launches a real MCP server, waits for readiness by %s, and calls a tool through it',
    async (_kind, ready) => {
      const target = await openTarget(httpGateway(ready), {
        placeholders: { mcpServersFile: '/fleet/mcp.json' },
        env: { TARGET_TEST_TOKEN: 't0k' },
        expectedTools: ['alpha.echo', 'alpha.add'],
      });
      const pid = target.launched?.pid;
      try {
        expect([...target.clients.keys()]).toEqual(['sut']);
        expect(target.toolMap.problems).toEqual([]);
        expect(target.route('alpha.add')).toEqual({ client: 'sut', name: 'add' });
        expect(textOf(await target.callTool('alpha.echo', { text: 'hi' }))).toBe('echo: hi');
        const cfg = await readFile(join(String(target.placeholders.workDir), 'gw.json'), 'utf8');
        expect(JSON.parse(cfg)).toEqual({ port: target.placeholders.port, servers: '/fleet/mcp.json' });
        expect(target.launched?.output().join('\n')).toMatch(/listening on/);
      } finally {
        await target.close();
      }
      expectGone(pid);
    },
  );

  it('fails within the deadline with the output of a SUT that exits at start', async () => {
    const pidFile = join(dir, 'exit.pid');
    const t0 = Date.now();
    const err = await harnessError(
      openTarget(
        spec({
          pattern: 'gateway',
          endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
          launch: { command: node, args: [fixture('raw-stdio.mjs'), 'exit', pidFile], readyTimeoutMs: 5000 },
        }),
      ),
      'SUT_START_FAILED',
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err.message).toMatch(/exited with code 3 before it was ready; last output:\n\s+\[stderr\] fatal/);
    expectGone(readPid(pidFile));
  });

  it('gives up on a launched SUT that never answers initialize within timeout + 1 s, and stops it', async () => {
    const pidFile = join(dir, 'hang-http.pid');
    const t0 = Date.now();
    const err = await harnessError(
      openTarget(
        spec({
          pattern: 'direct',
          timeoutMs: 1000,
          endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
          launch: {
            command: node,
            args: [fixture('hang-http.mjs'), '{port}', pidFile],
            ready: { log: 'hanging on' },
          },
        }),
      ),
      'SUT_UNREACHABLE',
    );
    expect(Date.now() - t0).toBeLessThan(1000 + 1000 + 500); // + start-up of the SUT itself
    expect(err.message).toMatch(/no answer within 1000 ms/);
    expectGone(readPid(pidFile));
  });

  it('lists every unknown placeholder and missing variable before launching anything', async () => {
    const err = await harnessError(
      openTarget(
        spec({
          pattern: 'gateway',
          endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/{basePath}' },
          launch: { command: node, args: ['{gatewayScript}'] },
        }),
      ),
      'INVALID_CONFIG',
    );
    expect(err.problems.map((p) => p.path)).toEqual(['endpoint.url', 'launch.args[0]']);
    expect(err.problems[1]?.message).toMatch(/unknown placeholder \{gatewayScript\}/);
    const env = await harnessError(
      openTarget(
        spec({
          pattern: 'direct',
          endpoint: { transport: 'sse', url: 'http://127.0.0.1:1/sse', headers: { A: ref('NOPE_1') } },
        }),
        { env: {} },
      ),
      'INVALID_CONFIG',
    );
    expect(env.problems).toEqual([
      { path: 'endpoint.headers.A', message: 'environment variable NOPE_1 is not set' },
    ]);
  });
});

describe('openTarget as a mesh', () => {
  const servers = {
    alpha: { transport: 'stdio' as const, command: node, args: tsNode('stdio-server.ts') },
    paged: { transport: 'stdio' as const, command: node, args: [fixture('raw-stdio.mjs'), 'paginate'] },
  };

  it('connects to every server, routes each logical tool to its client, and reports what it cannot call', async () => {
    for (const t of [spec({ pattern: 'mesh', servers }), spec({ pattern: 'mesh', fromFleet: true })]) {
      const target = await openTarget(t, {
        fleetEndpoints: TargetSpecSchema.parse({ pattern: 'mesh', servers }).servers,
        expectedTools: ['alpha.add', 'paged.p3_a', 'paged.add'],
      });
      const pids = [...target.connections.values()].map((c) => c.pid);
      try {
        expect([...target.clients.keys()].sort()).toEqual(['alpha', 'paged']);
        expect(target.tools.get('paged')?.map((x) => x.name)).toEqual(['p1_a', 'p1_b', 'p2_a', 'p3_a']);
        expect(textOf(await target.callTool('alpha.add', { a: 1, b: 2 }))).toBe('3');
        expect(textOf(await target.callTool('paged.p3_a'))).toBe('called p3_a');
        expect(target.toolMap.problems).toEqual([
          expect.objectContaining({ logical: 'paged.add', problem: 'missing' }),
        ]);
        const err = await target.callTool('paged.add', {}).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ToolNotMappedError);
        expect((err as Error).message).toMatch(/'paged.add' cannot be called on the target \(missing/);
      } finally {
        await target.close();
      }
      for (const pid of pids) expectGone(pid);
    }
  });

  it('closes the servers it reached when another one fails, and names the failing one', async () => {
    const pidFile = join(dir, 'mesh-exit.pid');
    const err = await harnessError(
      openTarget(
        spec({
          pattern: 'mesh',
          servers: {
            paged: {
              transport: 'stdio',
              command: node,
              args: [fixture('raw-stdio.mjs'), 'paginate', join(dir, 'mesh-ok.pid')],
            },
            broken: { transport: 'stdio', command: node, args: [fixture('raw-stdio.mjs'), 'exit', pidFile] },
          },
        }),
      ),
      'SUT_UNREACHABLE',
    );
    expect(err.message).toMatch(/^servers\.broken \(stdio: .*\): the server process exited with code 3/);
    expectGone(readPid(pidFile));
    expectGone(readPid(join(dir, 'mesh-ok.pid')));
  });

  it('needs fleet endpoints for fromFleet', async () => {
    const err = await harnessError(openTarget(spec({ pattern: 'mesh', fromFleet: true })), 'INVALID_CONFIG');
    expect(err.problems).toEqual([
      { path: 'fromFleet', message: expect.stringMatching(/needs a scenario with a fleet/) },
    ]);
  });
});
