import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../../harness/config/load.js';
import { HarnessError } from '../../../harness/errors.js';
import { loadTarget, TargetSpecSchema } from '../../../harness/schema/target.js';

/** `${NAME}` without tripping the template-literal lint. */
const ref = (name: string) => '$' + '{' + name + '}';

function problemsOf(data: unknown) {
  try {
    validate(TargetSpecSchema, data, 'target.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).code).toBe('INVALID_CONFIG');
    return (e as HarnessError).problems;
  }
  throw new Error('expected the target to be invalid');
}

describe('target schema', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'target-schema-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists a missing url and a bad pattern in one file as two problems with their paths', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'pattern: proxy\nendpoint:\n  transport: http\n');
    const err = await loadTarget(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    const { problems, exitCode } = err as HarnessError;
    expect(exitCode).toBe(2);
    expect(problems.map((p) => p.path).sort()).toEqual(['endpoint.url', 'pattern']);
    expect(problems.find((p) => p.path === 'pattern')?.message).toMatch(/direct.*mesh.*gateway.*chain/);
  });

  it('loads a valid YAML target and fills the defaults', async () => {
    const file = join(dir, 'gw.yaml');
    await writeFile(
      file,
      [
        'pattern: gateway',
        'endpoint:',
        '  transport: http',
        "  url: 'http://127.0.0.1:{port}/mcp'",
        `  headers: { Authorization: "Bearer ${ref('GW_TOKEN')}" }`,
        'launch:',
        '  command: node',
        '  args: [gw.js, --port, "{port}"]',
        '  ready: { log: "listening on \\\\d+" }',
      ].join('\n'),
    );
    const t = await loadTarget(file);
    expect(t.naming).toEqual({ mode: 'origin' });
    expect(t.timeoutMs).toBe(30_000);
    expect(t.protocol).toBe('legacy');
    expect(t.launch?.readyTimeoutMs).toBe(15_000);
    expect(t.launch?.shutdownTimeoutMs).toBe(5_000);
    expect(t.launch?.ready).toEqual({ log: 'listening on \\d+' });
    expect(t.endpoint).toMatchObject({ headers: { Authorization: `Bearer ${ref('GW_TOKEN')}` } });
  });

  it.each([
    ['direct', { mode: 'identity' }],
    ['chain', { mode: 'identity' }],
    ['gateway', { mode: 'origin' }],
  ])('defaults naming for %s', (pattern, naming) => {
    const t = TargetSpecSchema.parse({ pattern, endpoint: { transport: 'stdio', command: 'x' } });
    expect(t.naming).toEqual(naming);
  });

  it('defaults the prefix naming separator and template', () => {
    const t = TargetSpecSchema.parse({
      pattern: 'gateway',
      endpoint: { transport: 'sse', url: 'http://127.0.0.1:1/sse' },
      naming: { mode: 'prefix' },
    });
    expect(t.naming).toEqual({ mode: 'prefix', separator: '__', prefix: '{server}' });
  });

  it('accepts a mesh of servers (identity naming) and fromFleet', () => {
    const t = TargetSpecSchema.parse({
      pattern: 'mesh',
      servers: {
        a: { transport: 'stdio', command: 'a' },
        b: { transport: 'http', url: 'https://x.test/mcp' },
      },
    });
    expect(Object.keys(t.servers ?? {})).toEqual(['a', 'b']);
    expect(t.naming).toEqual({ mode: 'identity' });
    expect(TargetSpecSchema.parse({ pattern: 'mesh', fromFleet: true }).fromFleet).toBe(true);
  });

  it('reports pattern-dependent problems together with field problems', () => {
    expect(problemsOf({ pattern: 'mesh', endpoint: { transport: 'stdio', command: 'x' } })).toEqual([
      { path: 'endpoint', message: expect.stringMatching(/no single endpoint/) },
      { path: 'servers', message: expect.stringMatching(/needs servers/) },
    ]);
    const p = problemsOf({ pattern: 'gateway', fromFleet: true, timeoutMs: -1 });
    expect(p.map((x) => x.path).sort()).toEqual(['endpoint', 'fromFleet', 'timeoutMs']);
    expect(
      problemsOf({ pattern: 'mesh', servers: { a: { transport: 'stdio', command: 'x' } }, fromFleet: true }),
    ).toEqual([{ path: 'fromFleet', message: expect.stringMatching(/not both/) }]);
  });

  it('lists every problem in nested endpoints, launch and naming', () => {
    const p = problemsOf({
      pattern: 'mesh',
      servers: {
        'bad name': { transport: 'stdio', command: 'x' },
        ok: { transport: 'ws', url: 'ws://x' },
        web: { transport: 'http', url: 'ftp://x' },
      },
      launch: { command: 'gw', ready: { log: '(' }, readyTimeoutMs: 0, surprise: 1 },
      naming: { mode: 'prefix', prefix: 'mcp_' },
      protocol: '2024-01-01',
    });
    const paths = p.map((x) => x.path).sort();
    expect(paths).toEqual(
      [
        'launch',
        'launch.readyTimeoutMs',
        'launch.ready.log',
        'naming.prefix',
        'protocol',
        'servers.bad name',
        'servers.ok.transport',
        'servers.web.url',
      ].sort(),
    );
    expect(p.find((x) => x.path === 'servers.ok.transport')?.message).toMatch(/stdio.*http.*sse/);
    expect(p.find((x) => x.path === 'launch')?.message).toMatch(/surprise/);
    expect(p.find((x) => x.path === 'naming.prefix')?.message).toMatch(/\{server\}/);
  });

  it('accepts placeholders in URLs and the three readiness kinds', () => {
    for (const ready of [{ http: 'http://127.0.0.1:{port}/health' }, { log: 'ready' }, { handshake: true }]) {
      const t = TargetSpecSchema.parse({
        pattern: 'direct',
        endpoint: { transport: 'http', url: 'http://{host}:{port}/mcp' },
        launch: { command: 'x', ready },
      });
      expect(t.launch?.ready).toEqual(ready);
    }
    expect(
      problemsOf({
        pattern: 'direct',
        endpoint: { transport: 'http', url: 'x' },
        launch: { command: 'x', ready: { handshake: false } },
      })
        .map((p) => p.path)
        .sort(),
    ).toEqual(['endpoint.url', 'launch.ready.handshake']);
  });
});

describe('readiness', () => {
  it('wants exactly one readiness kind', () => {
    const base = { pattern: 'direct', endpoint: { transport: 'stdio', command: 'x' } };
    const p = problemsOf({ ...base, launch: { command: 'x', ready: { http: 'http://x', log: 'y' } } });
    expect(p).toEqual([{ path: 'launch.ready', message: expect.stringMatching(/exactly one/) }]);
    expect(problemsOf({ ...base, launch: { command: 'x', ready: {} } })).toHaveLength(1);
  });
});
