import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parse } from 'yaml';
import { chainChecks } from '../../harness/checks/chain/index.js';
import { parseChainOptions } from '../../harness/checks/chain/options.js';
import { runChecks } from '../../harness/checks/run-checks.js';
import type { CheckResult } from '../../harness/schema/result.js';
import { CHAIN_DEFECT_NAMES, type ChainDefect } from '../../mocks/patterns/chain/defects.js';
import { referenceChain } from '../helpers/chain-target.js';
import { limiter } from '../helpers/limiter.js';

/**
 * The chain suite against the reference chain (compiled: `npm run build`
 * first), launched from scenarios/targets/reference-chain.yaml: every check
 * passes on the correct chain, and each fails (or warns, for a SHOULD) on the
 * defect that breaks the rule it enforces. Some defects also run the whole
 * suite, to show they trip only their own check.
 */

const IDS = chainChecks.map((c) => c.id);
const SEVERITY = new Map(chainChecks.map((c) => [c.id, c.severity]));

const limit = limiter(3);

async function results(defects: ChainDefect[], only?: string[]): Promise<Map<string, CheckResult>> {
  const target = await referenceChain(defects);
  const run = await limit(() => runChecks({ target, ...(only ? { only } : { suites: ['chain'] }) }));
  return new Map(run.results.map((r) => [r.id, r]));
}

const line = (r: CheckResult) =>
  `${r.id}: ${r.status} — ${r.status === 'skip' || r.status === 'blocked' ? r.reason : r.observed}`;
const notPassing = (rs: Map<string, CheckResult>, except?: string) =>
  [...rs.values()].filter((r) => r.id !== except && r.status !== 'pass').map(line);

/**
 * Each chain check and a defect that breaks it; `suite` rows run the whole suite, where nothing else
 * may pass less than `also` says (a check that needs what the defect took away is blocked, by it).
 */
const ROWS: Array<[checkId: string, defect: ChainDefect, whole?: 'suite', also?: Record<string, string>]> = [
  // Reversed, the pipeline fails at its second step: the hops after it cannot be traced or compared.
  [
    'chain.steps-in-order',
    'wrong-order',
    'suite',
    { 'chain.trace-continues': 'blocked', 'chain.args-exact': 'blocked' },
  ],
  ['chain.fanout-overlaps', 'serial-fanout'],
  ['chain.partial-failure-reported', 'partial-swallowed'],
  ['chain.short-circuit', 'no-short-circuit'],
  ['chain.structured-error', 'unstructured-error'],
  ['chain.structured-error', 'error-as-success'],
  ['chain.hung-step-bounded', 'no-step-timeout'],
  ['chain.concurrent-isolated', 'shared-client', 'suite'],
  ['chain.trace-continues', 'no-trace'],
  ['chain.args-exact', 'args-mutated'],
  ['chain.no-internals-leak', 'leak-internals'],
];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'chain-negative-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

type RawFleet = { servers: Array<{ name: string; faults?: unknown[] }> };

/**
 * The correct chain with its target changed: `edit` gets the pipeline options to change (a declared
 * step the chain never calls), `faults` go on fleet servers (a step that always fails).
 */
async function changedChain(
  name: string,
  edit: (pipeline: { steps: unknown[] }) => void,
  faults: Record<string, unknown[]> = {},
) {
  const target = await referenceChain([]);
  const checks = structuredClone(target.checks ?? {}) as Record<string, unknown> & {
    fleet: string;
    chain: { pipeline: { steps: unknown[] } };
  };
  edit(checks.chain.pipeline);
  const fleet = parse(await readFile(checks.fleet, 'utf8')) as RawFleet;
  for (const s of fleet.servers) if (faults[s.name]) s.faults = [...(s.faults ?? []), ...faults[s.name]!];
  checks.fleet = join(work, `${name}.json`);
  await writeFile(checks.fleet, JSON.stringify(fleet));
  return { ...target, name: `reference-chain (${name})`, checks: checks as typeof target.checks };
}

async function changedResults(target: Awaited<ReturnType<typeof changedChain>>, only: string[]) {
  const run = await limit(() => runChecks({ target, only }));
  return new Map(run.results.map((r) => [r.id, r]));
}

describe.concurrent('chain checks against the reference chain', () => {
  it('the table covers every chain check and every defect of the reference chain', ({ expect }) => {
    expect([...new Set(ROWS.map(([id]) => id))].sort()).toEqual([...IDS].sort());
    expect(ROWS.map(([, d]) => d).sort()).toEqual([...CHAIN_DEFECT_NAMES].sort());
  });

  it('all pass on the correct chain', { timeout: 180_000 }, async ({ expect }) => {
    const rs = await results([]);
    expect([...rs.keys()]).toEqual(IDS);
    expect(notPassing(rs)).toEqual([]);
  });

  it.for(ROWS)(
    '%s fails on --defect %s',
    { timeout: 180_000 },
    async ([id, defect, whole, also], { expect }) => {
      const rs = await results([defect], whole ? undefined : [id]);
      const r = rs.get(id);
      const want = SEVERITY.get(id) === 'must' ? 'fail' : 'warn';
      expect(r && line(r)).toMatch(new RegExp(`^${id}: ${want} — `));
      if (!whole) return;
      const others = [...rs.values()].filter((r) => r.id !== id && r.status !== 'pass');
      expect(Object.fromEntries(others.map((r) => [r.id, r.status])), others.map(line).join('\n')).toEqual(
        also ?? {},
      );
    },
  );

  it('trace-continues fails, naming the hop, when a declared step is never called', {
    timeout: 180_000,
  }, async ({ expect }) => {
    // The chain answers, but the step declared last (tracker.search_issues) is one it never calls.
    const target = await changedChain('extra-hop', (p) => p.steps.push('tracker.search_issues'));
    const rs = await changedResults(target, ['chain.trace-continues']);
    expect(line(rs.get('chain.trace-continues')!)).toMatch(
      /^chain\.trace-continues: fail — the pipeline answered, but 1 of 4 declared hops never called \(tracker\.search_issues\)/,
    );
  });

  it('trace-continues and args-exact are blocked, not passed, when the pipeline fails before its last hops', {
    timeout: 180_000,
  }, async ({ expect }) => {
    const target = await changedChain('failing-step', () => {}, {
      repo: [{ type: 'tool-error', tools: ['search_code'], message: 'repo is down' }],
    });
    const rs = await changedResults(target, ['chain.trace-continues', 'chain.args-exact']);
    expect(line(rs.get('chain.trace-continues')!)).toMatch(
      /^chain\.trace-continues: blocked — the pipeline triage_issue does not work to begin with: .*1 of 3 declared hops never called \(chat\.post_message\)/,
    );
    expect(line(rs.get('chain.args-exact')!)).toMatch(
      /^chain\.args-exact: blocked — a composite does not work to begin with: .*not called, so not compared: chat\.post_message \(triage_issue\)/,
    );
  });

  it('no-internals-leak is blocked, not passed, when the step it breaks is never reached', {
    timeout: 180_000,
  }, async ({ expect }) => {
    // The first step always fails, so repo.search_code (the failStep) is never called: nothing to judge.
    const target = await changedChain('first-step-fails', () => {}, {
      tracker: [{ type: 'tool-error', tools: ['get_issue'], message: 'tracker is down' }],
    });
    const rs = await changedResults(target, ['chain.no-internals-leak']);
    expect(line(rs.get('chain.no-internals-leak')!)).toMatch(
      /^chain\.no-internals-leak: blocked — the pipeline triage_issue \(repo\.search_code never called, so the protocol-error never happened\)/,
    );
  });

  it('invalid checks.chain options are one INVALID_CONFIG listing every problem', ({ expect }) => {
    const bad = {
      pipeline: { tool: 'p', steps: ['tracker.get_issue', 'nodot'], failStep: 'tracker.get_issue' },
      fanout: { tool: 'f', branches: ['ghost.search', 'repo.search_code'], failBranch: 'chat.nope' },
      extra: 1,
    };
    let err: unknown;
    try {
      parseChainOptions(bad, new Set(['tracker', 'repo', 'chat']));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_CONFIG' });
    const paths = (err as { problems: Array<{ path: string }> }).problems.map((p) => p.path).sort();
    expect(paths).toEqual([
      'checks.chain',
      'checks.chain.fanout.branches[0]',
      'checks.chain.fanout.failBranch',
      'checks.chain.pipeline.steps[1]',
    ]);
    expect((err as Error).message).toMatch(/checks\.chain\.pipeline\.steps\[1\]: expected server\.tool/);
  });
});
