import { describe, it } from 'vitest';
import { catalogueChecks } from '../../harness/checks/gateway/catalogue.js';
import type { CheckResult } from '../../harness/schema/result.js';
import { type TargetSpec, TargetSpecSchema } from '../../harness/schema/target.js';
import type { DefectName } from '../../mocks/patterns/gateway/defects.js';
import { referenceGatewayTarget } from '../../mocks/patterns/gateway/target.js';
import { checkResults } from '../helpers/checks.js';
import { limiter } from '../helpers/limiter.js';

/**
 * The gateway suite's catalogue / routing / results checks against the
 * reference gateway (compiled: `npm run build` first): all pass on the
 * correct gateway, and each fails (or warns, for a SHOULD) on the defect that
 * breaks the rule it enforces. Some rows also run every catalogue check to
 * show the defect trips only its own check.
 */

const IDS = catalogueChecks.map((c) => c.id);
const SEVERITY = new Map(catalogueChecks.map((c) => [c.id, c.severity]));

/**
 * The reference gateway with a 10 s per-call deadline: spawning the fleet's
 * stdio server takes 2–5 s on a loaded 2-core machine, and the default 1.5 s
 * would leave it out of the lists (a false tools-exposed-once or
 * tools-ready-at-handshake finding).
 */
const gateway = (defects: DefectName[] = []): TargetSpec =>
  TargetSpecSchema.parse(referenceGatewayTarget(defects, 10_000));

const limit = limiter(3);

const line = (r: CheckResult) => `${r.id}: ${r.status} — ${r.status === 'skip' ? r.reason : r.observed}`;

/** Every result but the targeted one, that did not pass. */
const othersNotPassing = (results: Map<string, CheckResult>, except?: string) =>
  [...results.values()].filter((r) => r.id !== except && r.status !== 'pass').map(line);

type Row = [checkId: string, defect: DefectName, exact?: 'exact'];

/** Each catalogue check and a defect that breaks it; `exact` rows run every catalogue check. */
const ROWS: Row[] = [
  ['gateway.handshake', 'version-echoed'],
  ['gateway.capabilities-honest', 'capabilities-overclaimed'],
  ['gateway.content-preserved', 'content-dropped', 'exact'],
  ['gateway.tools-ready-at-handshake', 'tools-late'],
  ['gateway.tools-ready-at-handshake', 'calls-before-ready-fail'],
  ['gateway.ping', 'no-ping'],
  ['gateway.tools-exposed-once', 'tool-lost', 'exact'],
  ['gateway.tools-exposed-once', 'duplicate-names'],
  ['gateway.colliding-names', 'shadowing'],
  ['gateway.names-valid', 'invalid-names'],
  ['gateway.schemas-preserved', 'schema-stripped'],
  ['gateway.annotations-preserved', 'annotations-dropped', 'exact'],
  ['gateway.pagination-aggregated', 'no-pagination'],
  ['gateway.bad-cursor', 'bad-cursor-accepted'],
  ['gateway.unknown-tool', 'unknown-tool-iserror'],
  ['gateway.args-passthrough', 'args-mutated'],
  ['gateway.trace-propagated', 'no-trace'],
  ['gateway.iserror-preserved', 'iserror-to-success', 'exact'],
  ['gateway.iserror-preserved', 'iserror-to-jsonrpc'],
  ['gateway.iserror-preserved', 'iserror-first-block-only', 'exact'],
  ['gateway.jsonrpc-error-preserved', 'jsonrpc-error-flattened'],
  ['gateway.errors-name-origin', 'anonymous-errors'],
  ['gateway.no-internals-leak', 'leak-internals', 'exact'],
  ['gateway.resources-routed', 'resources-unrouted'],
  ['gateway.prompts-routed', 'prompts-unrouted'],
];

describe.concurrent('gateway catalogue checks against the reference gateway', () => {
  it('the table covers every catalogue check', ({ expect }) => {
    // capabilities-relayed has its rows in gateway-capabilities.test.ts.
    const covered = new Set([...ROWS.map(([id]) => id), 'gateway.capabilities-relayed']);
    expect(IDS.filter((id) => !covered.has(id))).toEqual([]);
    expect([...covered].filter((id) => !IDS.includes(id))).toEqual([]);
  });

  it('all pass on the correct gateway', { timeout: 180_000 }, async ({ expect }) => {
    const results = await limit(() => checkResults(gateway(), IDS));
    expect([...results.keys()].sort()).toEqual([...IDS].sort());
    expect(othersNotPassing(results)).toEqual([]);
  });

  it.for(ROWS)('%s fails on --defect %s', { timeout: 180_000 }, async ([id, defect, exact], { expect }) => {
    const results = await limit(() => checkResults(gateway([defect]), exact ? IDS : [id]));
    const r = results.get(id);
    const want = SEVERITY.get(id) === 'must' ? 'fail' : 'warn';
    expect(r && line(r)).toMatch(new RegExp(`^${id}: ${want} — `));
    if (exact) expect(othersNotPassing(results, id)).toEqual([]);
  });
});
