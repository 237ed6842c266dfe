import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../harness/schema/target.js';
import { connectEndpoint } from '../../../harness/target/connect.js';
import { freePort } from '../../../harness/target/launch.js';
import { liveGroupCount } from '../../../harness/target/process.js';
import { alive, expectGone, fixture, harnessError, readPid, tsNode } from '../../fixtures/target/helpers.js';
import { startSseServer } from '../../fixtures/target/sse-server.js';

/** `${NAME}` without tripping the template-literal lint. */
const ref = (name: string) => '$' + '{' + name + '}';

const stdio = (args: string[], extra: Partial<Endpoint> = {}): Endpoint =>
  ({ transport: 'stdio', command: process.execPath, args, env: {}, ...extra }) as Endpoint;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'target-connect-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  expect(liveGroupCount()).toBe(0);
});

describe('connect over stdio', () => {
  it('connects to a real SDK stdio server, calls a tool, and ends its whole process group on close', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const conn = await connectEndpoint(stdio(tsNode('stdio-server.ts', '--grandchild-pid-file', pidFile)), {
      timeoutMs: 10_000,
    });
    const grandchild = readPid(pidFile);
    expect(alive(grandchild)).toBe(true);
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['add', 'echo']);
    const res = await conn.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(res.content).toEqual([{ type: 'text', text: '5' }]);
    expect(conn.stderr().join('\n')).toMatch(/stdio fixture ready/);
    await conn.close();
    expectGone(conn.pid);
    expect(alive(grandchild)).toBe(false);
  });

  it('follows nextCursor pagination of tools/list', async () => {
    const conn = await connectEndpoint(stdio([fixture('raw-stdio.mjs'), 'paginate']), { timeoutMs: 5000 });
    try {
      const { tools } = await conn.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['p1_a', 'p1_b', 'p2_a', 'p3_a']);
    } finally {
      await conn.close();
    }
    expectGone(conn.pid);
  });

  it('fails fast with the exit code and stderr when the server exits at start', async () => {
    const pidFile = join(dir, 'exit.pid');
    const t0 = Date.now();
    const err = await harnessError(
      connectEndpoint(stdio([fixture('raw-stdio.mjs'), 'exit', pidFile]), { timeoutMs: 10_000 }),
      'SUT_UNREACHABLE',
    );
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err.message).toMatch(/exited with code 3/);
    expect(err.message).toMatch(/fatal: cannot read config file/);
    expect(err.exitCode).toBe(3);
    expectGone(readPid(pidFile));
  });

  it.each([
    ['hang', 'never answers initialize'],
    ['stubborn', 'also ignores SIGTERM'],
  ])('gives up on a server that %s (%s) within the timeout + 1 s and kills it', async (mode) => {
    const pidFile = join(dir, `${mode}.pid`);
    const t0 = Date.now();
    const err = await harnessError(
      connectEndpoint(stdio([fixture('raw-stdio.mjs'), mode, pidFile]), { timeoutMs: 1000 }),
      'SUT_UNREACHABLE',
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err.message).toMatch(/no answer within 1000 ms while waiting for the initialize answer/);
    expectGone(readPid(pidFile));
  });

  it('names the garbage a server prints on stdout', async () => {
    const pidFile = join(dir, 'garbage.pid');
    const err = await harnessError(
      connectEndpoint(stdio([fixture('raw-stdio.mjs'), 'garbage', pidFile]), { timeoutMs: 1000 }),
      'SUT_UNREACHABLE',
    );
    expect(err.message).toMatch(/stdout carried 3 line\(s\) that are not JSON-RPC/);
    expect(err.message).toContain('Starting server v1.2.3...');
    expectGone(readPid(pidFile));
  });

  it('maps protocol onto version negotiation: pinned 2026-07-28 and auto', async () => {
    const modern = await connectEndpoint(stdio(tsNode('stdio-server.ts')), {
      timeoutMs: 5000,
      protocol: '2026-07-28',
    });
    expect(modern.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    await modern.close();
    const auto = await connectEndpoint(stdio([fixture('raw-stdio.mjs'), 'paginate']), {
      timeoutMs: 5000,
      protocol: 'auto',
    });
    expect(auto.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    await auto.close();
    const err = await harnessError(
      connectEndpoint(stdio([fixture('raw-stdio.mjs'), 'paginate']), {
        timeoutMs: 5000,
        protocol: '2026-07-28',
      }),
      'SUT_UNREACHABLE',
    );
    expect(err.message).toMatch(/did not offer pinned protocol version 2026-07-28/);
  });

  it('reports a command that does not exist', async () => {
    const err = await harnessError(
      connectEndpoint(stdio([], { command: 'definitely-not-a-command-xyz' } as Partial<Endpoint>), {
        timeoutMs: 2000,
      }),
      'SUT_UNREACHABLE',
    );
    expect(err.message).toMatch(/command not found \(definitely-not-a-command-xyz\)/);
  });

  it('passes env values with environment references and rejects a missing variable before spawning', async () => {
    const e = stdio([fixture('raw-stdio.mjs'), 'paginate'], {
      env: { TOKEN: ref('TARGET_TEST_NOPE') },
    } as Partial<Endpoint>);
    const err = await harnessError(
      connectEndpoint(e, { timeoutMs: 2000, label: 'servers.a', env: {} }),
      'INVALID_CONFIG',
    );
    expect(err.problems).toEqual([
      { path: 'servers.a.env.TOKEN', message: 'environment variable TARGET_TEST_NOPE is not set' },
    ]);
  });
});

describe('connect over HTTP', () => {
  const servers: Server[] = [];
  const serve = async (handler: Parameters<typeof createServer>[1]) => {
    const srv = createServer(handler);
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(srv.address() as AddressInfo).port}/mcp`;
  };
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('says connection refused', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const err = await harnessError(
      connectEndpoint({ transport: 'http', url, headers: {} }, { timeoutMs: 2000 }),
      'SUT_UNREACHABLE',
    );
    expect(err.message).toMatch(/connection refused \(127\.0\.0\.1:\d+\)/);
  });

  it('says which HTTP status the endpoint answered', async () => {
    const url = await serve((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no MCP here'),
    );
    const err = await harnessError(
      connectEndpoint({ transport: 'http', url, headers: {} }, { timeoutMs: 2000 }),
      'SUT_UNREACHABLE',
    );
    expect(err.message).toMatch(/HTTP 404 Not Found: no MCP here/);
  });

  it('bounds a server that accepts and never answers', async () => {
    const url = await serve(() => {});
    const t0 = Date.now();
    const err = await harnessError(
      connectEndpoint({ transport: 'http', url, headers: {} }, { timeoutMs: 800 }),
      'SUT_UNREACHABLE',
    );
    expect(Date.now() - t0).toBeLessThan(1800);
    expect(err.message).toMatch(/no answer within 800 ms/);
  });

  it('connects over legacy HTTP+SSE with headers resolved from the environment', async () => {
    const sse = await startSseServer({ header: ['Authorization', 'Bearer tok-123'] });
    try {
      const endpoint: Endpoint = {
        transport: 'sse',
        url: sse.url,
        headers: { Authorization: `Bearer ${ref('SSE_TOKEN')}` },
      };
      const conn = await connectEndpoint(endpoint, { timeoutMs: 5000, env: { SSE_TOKEN: 'tok-123' } });
      const res = await conn.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
      expect(res.content).toEqual([{ type: 'text', text: 'echo: hi' }]);
      await conn.close();
      expect(sse.seenHeaders.every((h) => h.authorization === 'Bearer tok-123')).toBe(true);
      const wrong = await harnessError(
        connectEndpoint(endpoint, { timeoutMs: 2000, env: { SSE_TOKEN: 'wrong' } }),
        'SUT_UNREACHABLE',
      );
      expect(wrong.message).toMatch(/HTTP 401/);
    } finally {
      await sse.close();
    }
  });
});
