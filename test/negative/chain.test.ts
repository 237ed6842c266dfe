import { describe, it } from 'vitest';
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

const line = (r: CheckResult) => `${r.id}: ${r.status} — ${r.status === 'skip' ? r.reason : r.observed}`;
const notPassing = (rs: Map<string, CheckResult>, except?: string) =>
  [...rs.values()].filter((r) => r.id !== except && r.status !== 'pass').map(line);

/** Each chain check and a defect that breaks it; `suite` rows run the whole suite. */
const ROWS: Array<[checkId: string, defect: ChainDefect, whole?: 'suite']> = [
  ['chain.steps-in-order', 'wrong-order', 'suite'],
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

  it.for(ROWS)('%s fails on --defect %s', { timeout: 180_000 }, async ([id, defect, whole], { expect }) => {
    const rs = await results([defect], whole ? undefined : [id]);
    const r = rs.get(id);
    const want = SEVERITY.get(id) === 'must' ? 'fail' : 'warn';
    expect(r && line(r)).toMatch(new RegExp(`^${id}: ${want} — `));
    if (whole) expect(notPassing(rs, id)).toEqual([]);
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
