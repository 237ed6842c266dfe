import { z } from 'zod';
import { nowUs, sinceUs } from '../../harness/measure/clock.js';
import { evaluateExpectations } from '../../harness/runner/expect.js';
import { type CallOutcome, describeOutcome, fromError, fromResult } from '../../harness/runner/outcome.js';
import { ExpectSchema } from '../../harness/schema/scenario.js';
import type { ErrorKind } from '../result.js';
import { defineProbeModule, requestOptions } from './types.js';

/** One tool call with arguments and expectations (outcome, text, structured, mentions, within). */
export const callModule = defineProbeModule({
  kind: 'call',
  summary: 'call one tool and check the answer',
  schema: z
    .object({
      kind: z.literal('call'),
      tool: z.string().min(1).describe('the name the target exposes'),
      arguments: z.record(z.string(), z.unknown()).default({}),
      expect: ExpectSchema.refine((e) => e.servedBy === undefined, {
        message: 'servedBy needs a mock fleet: a probe cannot tell which server served a call',
      }).default({}),
    })
    .strict(),
  async run(spec, ctx) {
    const { client } = await ctx.connect();
    const t0 = nowUs();
    const outcome: CallOutcome = await ctx.phase('call', () =>
      client
        .callTool({ name: spec.tool, arguments: spec.arguments }, requestOptions(ctx))
        .then((r) => fromResult(r as Record<string, unknown>), fromError),
    );
    const us = sinceUs(t0);
    ctx.observeCall(us);
    const results = evaluateExpectations('call', spec.tool, spec.expect, outcome, us);
    const failed = results.filter((r) => r.status === 'fail');
    const details = results.map(
      (r) => `${r.status} ${r.expectation}: expected ${r.expected}, observed ${r.observed}`,
    );
    if (failed.length === 0) return { ok: true, details };
    const first = failed[0]!;
    const reason = `${spec.tool}: ${first.expectation} expected ${first.expected}, observed ${first.observed}`;
    return {
      ok: false,
      kind: kindOf(outcome, first.expectation),
      reason,
      details: [describeOutcome(outcome), ...details],
    };
  },
});

/** An unexpected outcome names what went wrong; a wrong answer is an expectation failure. */
function kindOf(o: CallOutcome, expectation: string): ErrorKind {
  if (expectation !== 'outcome') return 'expectation';
  switch (o.outcome) {
    case 'isError':
      return 'tool_error';
    case 'error':
      return 'protocol';
    case 'timeout':
      return 'timeout';
    case 'transport':
      return 'connect';
    default:
      return 'expectation';
  }
}
