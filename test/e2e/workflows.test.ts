import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/runner/run-scenario.js';
import type { ScenarioResult } from '../../harness/schema/result.js';

/**
 * Every example workflow in scenarios/workflows/ runs as shipped against its
 * default target (a mesh over its inline fleet) and passes: every expectation
 * and threshold holds, every call step's downstream call was attributed from
 * the mocks' call logs, and downstream time never exceeds end-to-end time.
 * Needs `npm run build` first: stdio mocks are spawned from the compiled CLI.
 */

const WORKFLOWS = resolve(import.meta.dirname, '../../scenarios/workflows');
const FILES = readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The failed steps and thresholds of a result, one line each, for a readable assertion message. */
function failures(result: ScenarioResult): string {
  const lines = [
    ...(result.error ? [`error: ${result.error.message}`] : []),
    ...result.steps
      .filter((s) => s.status !== 'pass')
      .map((s) => `step ${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`),
    ...result.thresholds
      .filter((t) => !t.pass)
      .map((t) => `threshold ${t.metric} ${t.expression}: observed ${t.observed}`),
  ];
  return lines.join('\n') || 'no failures';
}

describe('example workflows', () => {
  it('finds the example workflows', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(FILES)('%s passes with every call attributed', async (file) => {
    const result = await runScenario(join(WORKFLOWS, file));

    expect(result.status, failures(result)).toBe('pass');
    expect(result.steps.every((s) => s.status === 'pass')).toBe(true);
    expect(result.thresholds.every((t) => t.pass)).toBe(true);

    const calls = result.steps.filter((s) => s.kind === 'call');
    expect(calls.length).toBeGreaterThan(0);
    for (const step of calls) {
      expect(step.attribution, `${step.name}: attribution`).toBeDefined();
      expect(step.attribution, `${step.name}: attribution`).not.toBe('none');
      expect(step.downstreamUs, `${step.name}: downstreamUs`).toBeDefined();
      expect(step.downstreamUs as number, `${step.name}: downstream ≤ end-to-end`).toBeLessThanOrEqual(
        step.durationUs,
      );
    }
  });
});
