import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parse } from 'yaml';
import { conformanceFleet } from '../../harness/checks/fleet.js';
import { meshChecks } from '../../harness/checks/mesh/index.js';
import { runChecks } from '../../harness/checks/run-checks.js';
import type { CheckResult } from '../../harness/schema/result.js';
import { type TargetInput, TargetSpecSchema } from '../../harness/schema/target.js';
import { limiter } from '../helpers/limiter.js';

/**
 * The mesh suite (the harness is the host, one session per server): every
 * check passes on a healthy fleet (scenarios/targets/example-mesh.yaml) and
 * fails on a broken one. A mesh has no SUT process to give `--defect`s, so
 * each broken mesh is a fleet with a misbehaving server (a fault it declares,
 * a bad tool), the built-in conformance fleet (two servers share `echo`), or
 * members that share one process. Needs `npm run build` (stdio mocks run the CLI).
 */

const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLE = resolve(ROOT, 'scenarios/targets/example-mesh.yaml');
const CHAIN_FLEET = resolve(ROOT, 'scenarios/fleets/chain-fleet.yaml');
const IDS = meshChecks.map((c) => c.id);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mesh-negative-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

type RawFleet = { servers: Array<{ name: string; tools: unknown[]; faults?: unknown[] }> };

/** The chain fleet (tracker: HTTP, repo: SSE, chat: stdio) with one server changed, as a file. */
async function brokenFleet(name: string, edit: (server: (n: string) => RawFleet['servers'][number]) => void) {
  const fleet = parse(await readFile(CHAIN_FLEET, 'utf8')) as RawFleet;
  edit((n) => fleet.servers.find((s) => s.name === n)!);
  const file = join(work, `${name}.json`);
  await writeFile(file, JSON.stringify(fleet));
  return file;
}

const mesh = (fleet: string | undefined, extra: Partial<TargetInput> = {}) =>
  TargetSpecSchema.parse({
    name: 'mesh',
    pattern: 'mesh',
    timeoutMs: 10_000,
    ...(extra.servers ? {} : { fromFleet: true }),
    ...extra,
    checks: { ...(fleet ? { fleet } : {}), ...extra.checks },
  });

const limit = limiter(3);

/**
 * A member that is no fleet mock: alpha of the conformance fleet served on stdio by a process of its
 * own (the harness spawns it as the host, but cannot fault it), with `faults` declared in its file.
 */
async function foreignAlpha(name: string, faults: unknown[] = []) {
  const fleet = conformanceFleet(['alpha']);
  const file = join(work, `${name}.json`);
  await writeFile(file, JSON.stringify({ ...fleet, servers: fleet.servers.map((s) => ({ ...s, faults })) }));
  return {
    transport: 'stdio' as const,
    command: process.execPath,
    args: [resolve(ROOT, 'bin/mcp-harness.js'), 'mock', '--fleet', file, '--server', 'alpha', '--stdio'],
  };
}

const checks = (c: Record<string, unknown>) => c as TargetInput['checks'];

/** A mesh of `solo` (foreign alpha) and beta (a fleet mock), over the conformance fleet's alpha and beta. */
const withForeign = async (name: string, faults: unknown[] = [], extra: Partial<TargetInput> = {}) =>
  mesh(undefined, {
    servers: { solo: await foreignAlpha(name, faults), beta: { transport: 'http', url: '{fleet.beta.url}' } },
    ...extra,
    checks: checks({ servers: ['alpha', 'beta'], ...extra.checks }),
  });

async function results(target: string | ReturnType<typeof mesh>, only?: string[]) {
  const run = await limit(() => runChecks({ target, ...(only ? { only } : { suites: ['mesh'] }) }));
  return new Map(run.results.map((r) => [r.id, r]));
}

const line = (r: CheckResult | undefined) =>
  r ? `${r.id}: ${r.status} — ${r.status === 'skip' ? r.reason : r.observed}` : 'no result';
const notPassing = (rs: Map<string, CheckResult>, except?: string) =>
  [...rs.values()].filter((r) => r.id !== except && r.status !== 'pass').map(line);

describe.concurrent('mesh checks', () => {
  it('all pass on the example mesh (the chain fleet: HTTP, SSE and stdio servers)', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const rs = await results(EXAMPLE);
    expect([...rs.keys()]).toEqual(IDS);
    expect(notPassing(rs)).toEqual([]);
  });

  it('name-collisions warns on the built-in conformance fleet (alpha and beta both expose echo), and only it', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const rs = await results(mesh(undefined));
    expect(line(rs.get('mesh.name-collisions'))).toMatch(
      /^mesh\.name-collisions: warn — 1 tool name on several servers: 'echo' on alpha, beta/,
    );
    expect(notPassing(rs, 'mesh.name-collisions')).toEqual([]);
  });

  it('handshake fails when a server refuses a fresh initialize', { timeout: 60_000 }, async ({ expect }) => {
    // The host's own session gets through (after: 1); any later initialize is answered HTTP 503.
    const fleet = await brokenFleet('handshake', (s) => {
      s('repo').faults = [{ type: 'http-status', status: 503, methods: ['initialize'], after: 1 }];
    });
    const rs = await results(mesh(fleet), ['mesh.handshake']);
    expect(line(rs.get('mesh.handshake'))).toMatch(
      /^mesh\.handshake: fail — repo: a fresh initialize failed: .*503/,
    );
  });

  it('tool-schemas-valid fails on a tool whose inputSchema does not compile', { timeout: 60_000 }, async ({
    expect,
  }) => {
    const fleet = await brokenFleet('schema', (s) => {
      s('repo').tools.push({
        name: 'broken',
        inputSchema: { type: 'object', properties: { a: { type: 'nonsense' } } },
      });
    });
    const rs = await results(mesh(fleet), ['mesh.tool-schemas-valid']);
    expect(line(rs.get('mesh.tool-schemas-valid'))).toMatch(
      /^mesh\.tool-schemas-valid: fail — repo\.broken inputSchema does not compile: .*nonsense/,
    );
  });

  it('unknown-tool fails when a server answers an unknown tool with isError', { timeout: 60_000 }, async ({
    expect,
  }) => {
    const fleet = await brokenFleet('unknown', (s) => {
      s('chat').faults = [
        { type: 'tool-error', tools: ['no_such_tool__mcp_harness'], message: 'no such tool' },
      ];
    });
    const rs = await results(mesh(fleet), ['mesh.unknown-tool']);
    expect(line(rs.get('mesh.unknown-tool'))).toMatch(
      /^mesh\.unknown-tool: fail — chat answered isError: no such tool/,
    );
  });

  it('iserror-preserved fails when a server turns tool failures into JSON-RPC errors', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const fleet = await brokenFleet('iserror', (s) => {
      s('tracker').faults = [
        {
          type: 'protocol-error',
          tools: ['get_issue', 'search_issues'],
          code: -32603,
          message: 'tool failed',
        },
      ];
    });
    const rs = await results(mesh(fleet), ['mesh.iserror-preserved']);
    expect(line(rs.get('mesh.iserror-preserved'))).toMatch(
      /^mesh\.iserror-preserved: fail — tracker\.get_issue failed but answered JSON-RPC error -32603/,
    );
  });

  it('iserror-preserved tries a member that is no fleet mock through a tool the fleet defines as failing', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const rs = await results(await withForeign('iserror-ok'), ['mesh.iserror-preserved']);
    expect(line(rs.get('mesh.iserror-preserved'))).toMatch(
      /^mesh\.iserror-preserved: pass — isError: true with the error text from 2 of 2 servers$/,
    );
    expect(JSON.stringify(rs.get('mesh.iserror-preserved')?.evidence)).toMatch(
      /solo\.fail \(fails by its fleet definition\): isError: alpha\/fail: the widget is broken/,
    );
  });

  it('iserror-preserved fails on a member that is no fleet mock when it answers a failure with a JSON-RPC error', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const target = await withForeign('iserror-bad', [
      { type: 'protocol-error', tools: ['fail'], code: -32603, message: 'tool failed' },
    ]);
    const rs = await results(target, ['mesh.iserror-preserved']);
    expect(line(rs.get('mesh.iserror-preserved'))).toMatch(
      /^mesh\.iserror-preserved: fail — solo\.fail failed but answered JSON-RPC error -32603/,
    );
  });

  it('iserror-preserved skips when no member can be made to fail', { timeout: 60_000 }, async ({
    expect,
  }) => {
    // Beta reached by a URL the harness does not know as its mock's; it lists no failing tool either.
    const target = mesh(undefined, {
      servers: { other: { transport: 'http', url: '{fleet.beta.url}?via=other' } },
      checks: checks({ servers: ['beta'] }),
    });
    const rs = await results(target, ['mesh.iserror-preserved']);
    expect(line(rs.get('mesh.iserror-preserved'))).toMatch(
      /^mesh\.iserror-preserved: skip — no server of the mesh can be made to fail: .*\(other\)/,
    );
  });

  it('one-down-others-fine stops a stdio member that is no fleet mock by ending its process', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const target = await withForeign('down-stdio', [], { checks: { mesh: { down: 'solo' } } });
    const rs = await results(target, ['mesh.one-down-others-fine']);
    expect(line(rs.get('mesh.one-down-others-fine'))).toMatch(
      /^mesh\.one-down-others-fine: pass — solo stopped \(its process \(pid \d+\) was ended; it no longer answers\); beta still answer/,
    );
  });

  it('one-down-others-fine skips, never passes, when the member it should stop cannot be stopped', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const target = mesh(undefined, {
      servers: {
        other: { transport: 'http', url: '{fleet.beta.url}?via=other' },
        beta: { transport: 'http', url: '{fleet.beta.url}' },
      },
      checks: checks({ servers: ['beta'], mesh: { down: 'other' } }),
    });
    const rs = await results(target, ['mesh.one-down-others-fine']);
    expect(line(rs.get('mesh.one-down-others-fine'))).toMatch(
      /^mesh\.one-down-others-fine: skip — other at http:\/\/127\.0\.0\.1:\d+\/mcp\?via=other is neither a fleet mock nor a process the harness spawned/,
    );
  });

  it('tool-schemas-valid and name-collisions skip, not pass, when no server lists a tool', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const fleet = await brokenFleet('no-tools', (s) => {
      for (const n of ['tracker', 'repo', 'chat']) s(n).tools = [];
    });
    const rs = await results(mesh(fleet), ['mesh.tool-schemas-valid', 'mesh.name-collisions']);
    expect([rs.get('mesh.tool-schemas-valid'), rs.get('mesh.name-collisions')].map(line)).toEqual([
      'mesh.tool-schemas-valid: skip — no server of the mesh lists a tool: no schema to judge',
      'mesh.name-collisions: skip — no server of the mesh lists a tool: no names to compare',
    ]);
  });

  it('one-down-others-fine fails when two members are one process', { timeout: 60_000 }, async ({
    expect,
  }) => {
    // `tracker` and `issues` are the same mock: stopping one takes the other down.
    const target = mesh(CHAIN_FLEET, {
      servers: {
        tracker: { transport: 'http', url: '{fleet.tracker.url}' },
        issues: { transport: 'http', url: '{fleet.tracker.url}' },
        repo: { transport: 'sse', url: '{fleet.repo.url}' },
      },
      checks: { mesh: { down: 'tracker' } },
    });
    const rs = await results(target, ['mesh.one-down-others-fine']);
    expect(line(rs.get('mesh.one-down-others-fine'))).toMatch(
      /^mesh\.one-down-others-fine: fail — tracker stopped \(its fleet mock was killed; it no longer answers\); issues stopped answering/,
    );
  });
});
