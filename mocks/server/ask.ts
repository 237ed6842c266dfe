import {
  CLIENT_CAPABILITIES_META_KEY,
  type ElicitResult,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  MissingRequiredClientCapabilityError,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { nowUs } from '../../harness/measure/clock.js';
import type { CallRecord } from '../../harness/schema/call-log.js';
import type { ToolResultLike } from '../faults/types.js';
import type { Connection } from './connection.js';

type AskKind = 'sampling' | 'elicitation';

/** The key of the one input request an `ask` tool makes (and of its answer on the retried call). */
export const ASK_KEY = 'ask';

const METHOD: Record<AskKind, string> = {
  sampling: 'sampling/createMessage',
  elicitation: 'elicitation/create',
};

/**
 * A tool with `ask: sampling | elicitation` borrows the client's model or user:
 * on a legacy connection with a server-to-client request during the call, on a
 * modern one with an `input_required` result (MRTR) whose answer comes back in
 * `inputResponses` on the retried call. Only a client that declared the
 * capability is asked (a lenient mock asks anyway); the request is noted in the
 * call's record as sent (the connection notes a legacy request; a modern client that did not is refused with -32021,
 * a legacy one gets an isError result). The answer is "MODEL: TEXT" (sampling) or
 * "ACTION: CONTENT" (elicitation); a refusal or failure is an isError result.
 */
export async function askClient(
  kind: AskKind,
  args: Record<string, unknown>,
  ctx: ServerContext,
  conn: Connection,
  record: CallRecord | undefined,
): Promise<ToolResultLike | InputRequiredResult> {
  // Modern clients declare their capabilities on each request (`_meta`), legacy ones once in initialize.
  const caps = (
    conn.era === 'modern'
      ? record?.meta?.[CLIENT_CAPABILITIES_META_KEY]
      : conn.server?.getClientCapabilities()
  ) as Record<string, unknown> | undefined;
  if (!caps?.[kind] && !conn.mock.spec.lenient) {
    // 2026-07-28 names the refusal: -32021 with the capability the request needed.
    if (conn.era === 'modern')
      throw new MissingRequiredClientCapabilityError({ requiredCapabilities: { [kind]: {} } });
    const text = `failed: the client did not declare the ${kind} capability, so it was not asked`;
    return { content: [{ type: 'text', text }], isError: true };
  }
  const prompt =
    typeof args.prompt === 'string' ? args.prompt : kind === 'sampling' ? 'say hi' : 'your name?';
  if (conn.era === 'modern') return askByInputRequired(kind, prompt, ctx, record);
  try {
    // On the call's own stream: without relatedRequestId the SDK would use the GET stream, which may not be open.
    const on = { relatedRequestId: ctx.mcpReq.id };
    if (kind === 'elicitation') return elicited(await ctx.mcpReq.elicitInput(elicitParams(prompt), on));
    const r = await ctx.mcpReq.requestSampling(samplingParams(prompt), on);
    const first = Array.isArray(r.content) ? r.content[0] : r.content;
    return sampled(r.model, first);
  } catch (e) {
    return { content: [{ type: 'text', text: `failed: ${(e as Error).message}` }], isError: true };
  }
}

function askByInputRequired(
  kind: AskKind,
  prompt: string,
  ctx: ServerContext,
  record: CallRecord | undefined,
): ToolResultLike | InputRequiredResult {
  const answer = inputResponse(ctx.mcpReq.inputResponses, ASK_KEY);
  if (answer.kind === 'missing' || ctx.mcpReq.requestState() !== ASK_KEY) {
    record?.sent.push({ method: `input_required ${METHOD[kind]}`, atUs: nowUs() });
    const request =
      kind === 'sampling'
        ? inputRequired.createMessage(samplingParams(prompt))
        : inputRequired.elicit(elicitParams(prompt));
    return inputRequired({ inputRequests: { [ASK_KEY]: request }, requestState: ASK_KEY });
  }
  if (answer.kind === 'sampling') {
    const c = answer.result.content;
    return sampled(answer.result.model, Array.isArray(c) ? c[0] : c);
  }
  if (answer.kind === 'elicit') return elicited(answer);
  const text = `failed: the answer to ${METHOD[kind]} was not a ${kind} result`;
  return { content: [{ type: 'text', text }], isError: true };
}

function samplingParams(prompt: string) {
  return {
    messages: [{ role: 'user' as const, content: { type: 'text' as const, text: prompt } }],
    maxTokens: 64,
  };
}

function elicitParams(prompt: string) {
  return {
    mode: 'form' as const,
    message: prompt,
    requestedSchema: { type: 'object' as const, properties: { answer: { type: 'string' as const } } },
  };
}

function sampled(model: string, first: { type: string; text?: string } | undefined): ToolResultLike {
  const text = first?.type === 'text' ? first.text : `(${first?.type ?? 'no'} content)`;
  return { content: [{ type: 'text', text: `${model}: ${text}` }] };
}

function elicited(r: { action: ElicitResult['action']; content?: Record<string, unknown> }): ToolResultLike {
  const text = `${r.action}: ${JSON.stringify(r.content ?? {})}`;
  return { content: [{ type: 'text', text }], ...(r.action === 'accept' ? {} : { isError: true }) };
}
