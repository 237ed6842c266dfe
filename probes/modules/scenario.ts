import { z } from 'zod';
import { readDataFile } from '../../harness/config/load.js';
import type { Problem } from '../../harness/errors.js';
import { isHarnessError } from '../../harness/errors.js';
import { planScenario } from '../../harness/runner/plan.js';
import { runScenario } from '../../harness/runner/run-scenario.js';
import { stepAction } from '../../harness/schema/scenario.js';
import { TargetSpecSchema } from '../../harness/schema/target.js';
import type { ProbeTarget } from '../targets.js';
import { defineProbeModule } from './types.js';

/** Steps that change a system: a probe of production never runs them. */
const WRITE_ACTIONS = new Set(['fault', 'restart', 'kill']);

/** A small read-only scenario file run through the scenario runner against the target. */
export const scenarioModule = defineProbeModule({
  kind: 'scenario',
  summary: 'run a small read-only scenario (calls, parallel groups, waits) against the target',
  paths: ['scenario'],
  schema: z
    .object({
      kind: z.literal('scenario'),
      scenario: z
        .string()
        .min(1)
        .describe('scenario file (relative to the config); no fleet, no fault steps'),
    })
    .strict(),
  async check(spec, path) {
    const problems: Problem[] = [];
    let raw: unknown;
    try {
      raw = await readDataFile(spec.scenario);
      await planScenario(spec.scenario, { target: directTarget(PLACEHOLDER, 1000) });
    } catch (e) {
      if (!isHarnessError(e)) throw e;
      problems.push({ path: `${path}.scenario`, message: `${e.message}` });
      for (const p of e.problems) problems.push({ path: `${path}.scenario: ${p.path}`, message: p.message });
    }
    if (typeof raw === 'object' && raw !== null) {
      const r = raw as Record<string, unknown>;
      if (r.fleet !== undefined)
        problems.push({ path: `${path}.scenario: fleet`, message: 'a probe scenario has no fleet' });
      if (r.target !== undefined) {
        problems.push({
          path: `${path}.scenario: target`,
          message: 'a probe scenario runs against the probe target (no target)',
        });
      }
      writeSteps(r.steps, 'steps', problems);
    }
    return problems.map((p) => (p.path.startsWith(path) ? p : { ...p, path: `${path}.${p.path}` }));
  },
  async run(spec, ctx) {
    const result = await runScenario(spec.scenario, {
      target: directTarget(ctx.target, ctx.remainingMs()),
      signal: ctx.signal,
    });
    for (const s of result.steps) if (s.kind === 'call') ctx.observeCall(s.durationUs);
    const failed = result.steps.filter((s) => s.status === 'fail');
    const details = result.steps.map((s) => `${s.status} ${s.name} ${s.outcome ?? ''}`.trim()).slice(0, 20);
    if (result.status === 'pass') return { ok: true, details };
    const first = failed[0];
    const expectation = first?.expectations.find((e) => e.status === 'fail');
    const why = first
      ? `step ${first.name}: ${expectation ? `${expectation.expectation} expected ${expectation.expected}, observed ${expectation.observed}` : (first.reason ?? first.outcome ?? 'failed')}`
      : (result.error?.message ?? 'a threshold failed');
    return { ok: false, kind: 'scenario', reason: why, details };
  },
});

const PLACEHOLDER = {
  endpoint: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} },
} as ProbeTarget;

function directTarget(target: Pick<ProbeTarget, 'endpoint'>, timeoutMs: number) {
  return TargetSpecSchema.parse({
    name: 'probe',
    pattern: 'direct',
    endpoint: target.endpoint,
    naming: { mode: 'identity' },
    timeoutMs: Math.max(1, Math.floor(timeoutMs)),
  });
}

function writeSteps(steps: unknown, path: string, out: Problem[]): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) return;
    const action = stepAction(s);
    if (action && WRITE_ACTIONS.has(action)) {
      out.push({ path: `${path}[${i}]`, message: `a probe scenario is read-only: no ${action} steps` });
    }
    const inner = s as Record<string, unknown>;
    writeSteps(inner.parallel, `${path}[${i}].parallel`, out);
    writeSteps(inner.steps, `${path}[${i}].steps`, out);
  });
}
