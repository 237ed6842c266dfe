import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runChecks } from '../../../harness/checks/run-checks.js';
import { HarnessError } from '../../../harness/errors.js';
import type { CheckResult } from '../../../harness/schema/result.js';
import { type TargetSpec, TargetSpecSchema } from '../../../harness/schema/target.js';
import { referenceGateway } from '../../helpers/checks.js';
import { ROOT, runCli } from '../../helpers/cli.js';
import { limiter } from '../../helpers/limiter.js';

/**
 * A tool-search gateway (test/fixtures/tool-search/gateway.mjs: meta-tools
 * list_servers, search_tools, call_tool in front of the conformance fleet)
 * is detected once as code-mode; without an access adapter the checks that
 * need direct tools skip with that reason; with its adapter (access.ts)
 * they run through the meta-tools, and a defect behind them is found.
 * The reference gateway runs from dist/ (`npm run build` first).
 */

const FIXTURE = join(import.meta.dirname, '../../fixtures/tool-search');
const ACCESS = join(FIXTURE, 'access.ts');
const limit = limiter(2);

const toolSearch = (extra: { access?: string; defects?: string[] } = {}): TargetSpec =>
  TargetSpecSchema.parse({
    name: 'tool-search-gateway',
    pattern: 'gateway',
    endpoint: {
      transport: 'stdio',
      command: process.execPath,
      args: [
        join(FIXTURE, 'gateway.mjs'),
        '--servers',
        '{mcpServersFile}',
        ...(extra.defects ?? []).flatMap((d) => ['--defect', d]),
      ],
    },
    timeoutMs: 10_000,
    deadlineMs: 8_000,
    ...(extra.access ? { access: extra.access } : {}),
  });

const line = (r: CheckResult) =>
  `${r.id}: ${r.status} — ${r.status === 'skip' || r.status === 'blocked' ? r.reason : r.observed}`;

/** Checks that call or list the fleet's tools through the SUT. */
const DIRECT = [
  'gateway.tools-exposed-once',
  'gateway.colliding-names',
  'gateway.schemas-preserved',
  'gateway.annotations-preserved',
  'gateway.pagination-aggregated',
  'gateway.args-passthrough',
  'gateway.trace-propagated',
  'gateway.content-preserved',
  'gateway.iserror-preserved',
  'gateway.jsonrpc-error-preserved',
  'gateway.no-internals-leak',
  'gateway.hung-backend-bounded',
  'gateway.cancellation-relayed',
  'gateway.concurrent-calls-isolated',
  'gateway.progress-relayed',
  'gateway.logs-relayed',
];

/**
 * What the fixture really lacks (none of it about tools): it serves no resources, prompts,
 * completions, logging or subscriptions, and answers a bogus cursor with its one page.
 */
const FIXTURE_FINDINGS = [
  'gateway.capabilities-honest',
  'gateway.capabilities-relayed',
  'gateway.resources-routed',
  'gateway.prompts-routed',
  'gateway.bad-cursor',
];

/** Pass through the adapter (the rest of the suite is slower, or judges what the fixture lacks). */
const THROUGH_ADAPTER = [
  'gateway.tools-exposed-once',
  'gateway.colliding-names',
  'gateway.schemas-preserved',
  'gateway.annotations-preserved',
  'gateway.pagination-aggregated',
  'gateway.unknown-tool',
  'gateway.args-passthrough',
  'gateway.trace-propagated',
  'gateway.content-preserved',
  'gateway.iserror-preserved',
  'gateway.jsonrpc-error-preserved',
  'gateway.no-internals-leak',
  'gateway.cancellation-relayed',
  'gateway.concurrent-calls-isolated',
  'gateway.progress-relayed',
  'gateway.progress-ordered',
];

const REASON =
  /^the SUT is a code-mode\/tool-search gateway \(meta-tools: list_servers, search_tools, call_tool\); give the target an access adapter/;

describe.concurrent('code-mode / tool-search gateways', () => {
  it('without an adapter: detected once, and every check that needs direct tools skips with that reason', async ({
    expect,
  }) => {
    const run = await limit(() => runChecks({ target: toolSearch(), suites: ['gateway'] }));
    expect(run.codeMode?.tools).toEqual(['list_servers', 'search_tools', 'call_tool']);
    expect(run.codeMode?.observed).toMatch(REASON);
    const byId = new Map(run.results.map((r) => [r.id, r]));
    for (const id of DIRECT) {
      const r = byId.get(id);
      expect(r && line(r), id).toMatch(new RegExp(`^${id}: skip — ${REASON.source.slice(1)}`));
    }
    // Nothing blocked as "not exposed", nothing failed for a tool it could not find.
    const notPassed = run.results.filter((r) => r.status !== 'pass' && r.status !== 'skip');
    expect(notPassed.filter((r) => r.status === 'blocked').map(line)).toEqual([]);
    expect(notPassed.map((r) => r.id).filter((id) => !FIXTURE_FINDINGS.includes(id))).toEqual([]);
    expect(
      run.results.filter((r) => /not expose/.test(line(r)) && !REASON.test(r.reason ?? '')).map(line),
    ).toEqual([]);
  }, 180_000);

  it('with its access adapter: the call-based checks run through the meta-tools and pass', async ({
    expect,
  }) => {
    const run = await limit(() =>
      runChecks({ target: toolSearch({ access: ACCESS }), only: THROUGH_ADAPTER }),
    );
    expect(run.codeMode?.observed).toContain("listed and called through the target's access adapter");
    expect(run.results.map(line).filter((l) => !/: pass — /.test(l))).toEqual([]);
    expect(run.results.map((r) => r.id).sort()).toEqual([...THROUGH_ADAPTER].sort());
  }, 180_000);

  it('a defect behind the meta-tools is found: iserror-to-success fails gateway.iserror-preserved', async ({
    expect,
  }) => {
    const target = toolSearch({ access: ACCESS, defects: ['iserror-to-success'] });
    const run = await limit(() =>
      runChecks({ target, only: ['gateway.iserror-preserved', 'gateway.content-preserved'] }),
    );
    const byId = new Map(run.results.map((r) => [r.id, r]));
    const [iserror, content] = [byId.get('gateway.iserror-preserved'), byId.get('gateway.content-preserved')];
    // The wording is the check's; what matters: it fails, on alpha.fail, reached through call_tool.
    expect(iserror && line(iserror)).toMatch(/^gateway\.iserror-preserved: fail — .*alpha\.fail/);
    expect(content && line(content)).toMatch(/^gateway\.content-preserved: pass/);
  }, 120_000);

  it('a gateway that merely lost a tool is not code-mode: the loss is still its finding', async ({
    expect,
  }) => {
    const run = await limit(() =>
      runChecks({ target: referenceGateway(['tool-lost']), only: ['gateway.tools-exposed-once'] }),
    );
    expect(run.codeMode).toBeUndefined();
    expect(run.results[0]?.status).toBe('fail');
  }, 120_000);
});

describe('an access adapter that cannot be used is invalid input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'code-mode-'));
    await writeFile(join(dir, 'half.mjs'), 'export default { list: async () => [] };\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a module without call: INVALID_CONFIG naming access.call and the file', async ({ expect }) => {
    const err = await runChecks({ target: toolSearch({ access: join(dir, 'half.mjs') }) }).catch((e) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('INVALID_CONFIG');
    expect((err as HarnessError).render()).toMatch(
      /access\.call: expected a function: call\(client, name, args, opts\)/,
    );
    expect((err as HarnessError).render()).toContain(join(dir, 'half.mjs'));
  });

  it('a missing module, named relative to the target file: exit 2 with the resolved path', async ({
    expect,
  }) => {
    const file = join(dir, 'target.yaml');
    await writeFile(
      file,
      [
        'name: tool-search',
        'pattern: gateway',
        `endpoint: { transport: stdio, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(join(FIXTURE, 'gateway.mjs'))}, --servers, "{mcpServersFile}"] }`,
        'access: ./adapters/nope.ts',
      ].join('\n'),
    );
    const r = await runCli(['check', '--target', file, '--only', 'gateway.ping'], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain('INVALID_CONFIG');
    expect(r.stderr + r.stdout).toContain(`access: cannot read ${join(dir, 'adapters/nope.ts')}`);
  });
});
