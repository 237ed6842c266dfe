import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ChainDefect } from './defects.js';
import type { StepFailure, StepResult } from './step.js';
import { renderString, type TemplateScope } from './template.js';

/**
 * The composite's answers. Failures are tool results (`isError: true`) the
 * caller — often a model — can read: the text names the step, server, tool
 * and downstream error, and structuredContent carries the same as data.
 */

type Defects = ReadonlySet<ChainDefect>;
type Success = Extract<StepResult, { ok: true }>;

/** A step's failure in one line: `step "b" (server "repo", tool "search") failed: timed out after 10 ms`. */
export function describeFailure(f: StepFailure, defects: Defects): string {
  return `step "${f.step}" (server "${f.server}", tool "${f.tool}") failed: ${errorText(f, defects)}`;
}

function errorText(f: StepFailure, defects: Defects): string {
  // DEFECT leak-internals: the chain's own stack trace goes out with the error.
  return defects.has('leak-internals') ? `${f.error}\n${f.stack}` : f.error;
}

function failureData(f: StepFailure, defects: Defects) {
  return { step: f.step, server: f.server, tool: f.tool, kind: f.kind, error: errorText(f, defects) };
}

/** A pipeline stopped at `f`: isError with `{failedStep, server, tool, error, completedSteps}`. */
export function pipelineFailed(f: StepFailure, completed: string[], defects: Defects): CallToolResult {
  if (defects.has('unstructured-error')) return finish(plainError(f, defects), defects);
  return finish(
    {
      content: [{ type: 'text', text: describeFailure(f, defects) }],
      structuredContent: {
        failedStep: f.step,
        server: f.server,
        tool: f.tool,
        kind: f.kind,
        error: errorText(f, defects),
        completedSteps: completed,
      },
      isError: true,
    },
    defects,
  );
}

/** Every step succeeded: the `output` template, or the last step's content; the steps as data. */
export function pipelineDone(
  done: Success[],
  output: string | undefined,
  template: TemplateScope,
): CallToolResult {
  const last = done[done.length - 1];
  const content =
    output !== undefined
      ? [{ type: 'text' as const, text: String(renderString(output, template) ?? '') }]
      : (last?.result.content ?? []);
  return {
    content,
    structuredContent: { steps: stepsData(done), completedSteps: done.map((s) => s.step.id) },
  };
}

/**
 * A fan-out's answer. The rule: at least one branch succeeded → `isError: false`
 * with `{results, failed}` (partial results, failures listed); every branch
 * failed → `isError: true` with the same shape.
 */
export function fanoutDone(results: StepResult[], defects: Defects): CallToolResult {
  const ok = results.filter((r): r is Success => r.ok);
  const failed = results.flatMap((r) => (r.ok ? [] : [r.failure]));
  const lines = ok.map((r) => `[${r.step.id}] ${r.output.text}`);
  if (ok.length === 0) {
    if (defects.has('unstructured-error')) return finish(plainError(failed[0]!, defects), defects);
    return finish(
      {
        content: [{ type: 'text', text: failed.map((f) => describeFailure(f, defects)).join('\n') }],
        structuredContent: { results: {}, failed: failed.map((f) => failureData(f, defects)) },
        isError: true,
      },
      defects,
    );
  }
  // DEFECT partial-swallowed: failed branches vanish from the answer.
  if (defects.has('partial-swallowed') || failed.length === 0) {
    return {
      content: [{ type: 'text', text: lines.join('\n') }],
      structuredContent: { results: stepsData(ok) },
    };
  }
  lines.push(...failed.map((f) => describeFailure(f, defects)));
  return {
    content: [{ type: 'text', text: lines.join('\n') }],
    structuredContent: { results: stepsData(ok), failed: failed.map((f) => failureData(f, defects)) },
  };
}

/** A failure of the chain itself (not of a step): isError with the reason. */
export function internalError(err: unknown, defects: Defects): CallToolResult {
  const message = err instanceof Error ? err.message : String(err);
  const leak = defects.has('leak-internals') && err instanceof Error ? `\n${err.stack}` : '';
  return { content: [{ type: 'text', text: `chain error: ${message}${leak}` }], isError: true };
}

function stepsData(done: Success[]) {
  return Object.fromEntries(
    done.map((s) => [
      s.step.id,
      {
        server: s.step.server,
        tool: s.step.tool,
        text: s.output.text,
        ...(s.output.structured !== undefined ? { structured: s.output.structured } : {}),
      },
    ]),
  );
}

/** DEFECT unstructured-error: just the downstream error as text, nothing that says where it happened. */
function plainError(f: StepFailure, defects: Defects): CallToolResult {
  return { content: [{ type: 'text', text: `Error: ${errorText(f, defects)}` }], isError: true };
}

/** DEFECT error-as-success: the failure goes out as a normal result. */
function finish(result: CallToolResult, defects: Defects): CallToolResult {
  if (!defects.has('error-as-success')) return result;
  const { isError: _dropped, ...rest } = result;
  return rest;
}
