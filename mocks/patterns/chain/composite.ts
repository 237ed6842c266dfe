import type { CallToolResult } from '@modelcontextprotocol/server';
import { fanoutDone, pipelineDone, pipelineFailed } from './answer.js';
import type { Step } from './schema.js';
import { type CallContext, runStep, type StepFailure, type StepResult } from './step.js';

/** Run a composite tool: a pipeline (ordered, short-circuiting) or a fan-out (concurrent branches). */
export function runComposite(ctx: CallContext): Promise<CallToolResult> {
  return ctx.tool.kind === 'pipeline' ? runPipeline(ctx) : runFanout(ctx);
}

/**
 * Steps run one after the other, each seeing the results of the steps before
 * it. The first failing step ends the pipeline: no later step is called.
 */
async function runPipeline(ctx: CallContext): Promise<CallToolResult> {
  // DEFECT wrong-order: the steps run back to front.
  const steps = ctx.defects.has('wrong-order') ? [...ctx.tool.steps].reverse() : ctx.tool.steps;
  const done: Array<Extract<StepResult, { ok: true }>> = [];
  let firstFailure: StepFailure | undefined;
  let completedAtFailure: string[] = [];
  for (const step of steps) {
    const r = ctx.signal.aborted ? cancelled(step) : await runStep(ctx, step);
    if (r.ok) {
      done.push(r);
      ctx.template.steps.set(step.id, r.output);
      continue;
    }
    if (!firstFailure) {
      firstFailure = r.failure;
      completedAtFailure = done.map((d) => d.step.id);
    }
    // DEFECT no-short-circuit: keep going after a failure.
    if (!ctx.defects.has('no-short-circuit')) break;
  }
  if (firstFailure) return pipelineFailed(firstFailure, completedAtFailure, ctx.defects);
  return pipelineDone(done, ctx.tool.output, ctx.template);
}

/** Branches run concurrently; successes are aggregated and failures listed (see fanoutDone). */
async function runFanout(ctx: CallContext): Promise<CallToolResult> {
  const branches = ctx.tool.steps;
  let results: StepResult[];
  if (ctx.defects.has('serial-fanout')) {
    // DEFECT serial-fanout: one branch at a time.
    results = [];
    for (const b of branches) results.push(await runStep(ctx, b));
  } else {
    results = await Promise.all(branches.map((b) => runStep(ctx, b)));
  }
  return fanoutDone(results, ctx.defects);
}

/** A step not started because the upstream request was cancelled. */
function cancelled(step: Step): StepResult {
  const error = 'the upstream request was cancelled';
  return {
    ok: false,
    step,
    failure: { step: step.id, server: step.server, tool: step.tool, kind: 'cancelled', error, stack: '' },
  };
}
