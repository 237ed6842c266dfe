import type { CallOutcome } from '../runner/outcome.js';
import { textOf } from '../runner/outcome.js';
import type { LoadReport } from '../schema/load.js';
import type { ExpectationResult } from '../schema/result.js';
import type { RequestOutcome } from './wire.js';

/**
 * A scenario's step expectations under load: every call of a step with an
 * `expect` is evaluated (harness/runner/expect.ts), and the results are
 * counted per step and expectation — the report's `expectations`, read by the
 * `expectations:rate` threshold (the fraction that failed).
 */
export type ExpectationCount = LoadReport['expectations'][number];

export class ExpectationTally {
  private readonly counts = new Map<string, ExpectationCount>();

  add(results: readonly ExpectationResult[]): void {
    for (const r of results) {
      const key = `${r.step}\u0000${r.expectation}`;
      let c = this.counts.get(key);
      if (!c) {
        c = { step: r.step, expectation: r.expectation, passed: 0, failed: 0 };
        this.counts.set(key, c);
      }
      if (r.status === 'fail') c.failed++;
      else c.passed++;
    }
  }

  list(): ExpectationCount[] {
    return [...this.counts.values()];
  }
}

/** Several tallies (workers, shards) summed, in a stable order (step, then expectation). */
export function mergeExpectationCounts(lists: readonly (readonly ExpectationCount[])[]): ExpectationCount[] {
  const tally = new Map<string, ExpectationCount>();
  for (const list of lists)
    for (const c of list) {
      const key = `${c.step}\u0000${c.expectation}`;
      const t = tally.get(key) ?? { ...c, passed: 0, failed: 0 };
      t.passed += c.passed;
      t.failed += c.failed;
      tally.set(key, t);
    }
  return [...tally.values()].sort(
    (a, b) => a.step.localeCompare(b.step) || a.expectation.localeCompare(b.expectation),
  );
}

/** A load request's outcome as the scenario runner's CallOutcome, for expectations and references. */
export function callOutcomeOf(o: RequestOutcome): CallOutcome {
  if (o.ok) return { outcome: 'ok', result: o.result };
  switch (o.kind) {
    case 'isError':
      return { outcome: 'isError', result: o.result, message: textOf(o.result) };
    case 'jsonrpc':
      return { outcome: 'error', code: Number(o.detail), message: o.message ?? `JSON-RPC error ${o.detail}` };
    case 'timeout':
      return { outcome: 'timeout', message: 'the request timed out' };
    default:
      return { outcome: 'transport', message: `${o.kind}${o.detail ? ` ${o.detail}` : ''}` };
  }
}
