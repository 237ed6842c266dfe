import {
  type InputRequest,
  inputRequired,
  inputResponse,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { ToolHandler } from '../../harness/schema/fleet.js';

/**
 * Tools of the official suite's fixture contract that ask the client: on a
 * legacy connection with server-to-client requests (sampling/createMessage,
 * elicitation/create), on a modern one with an input_required result whose
 * answer arrives in `inputResponses` on the retried call. One handler serves
 * both eras, so a run in either era exercises the same tool.
 */

type Text = { content: Array<{ type: 'text'; text: string }> };
const text = (t: string): Text => ({ content: [{ type: 'text', text: t }] });

interface Ask {
  key: string;
  request: InputRequest;
}

/** One question: asked by request (legacy) or by input_required (modern); `answer` turns the reply into text. */
async function ask(
  ctx: { era: 'legacy' | 'modern'; mcp: ServerContext },
  q: Ask,
  answer: (reply: Record<string, unknown>) => string,
): Promise<unknown> {
  if (ctx.era === 'legacy') {
    const { method, params } = q.request as { method: string; params: Record<string, unknown> };
    // On the tool call's own stream: without relatedRequestId the SDK uses the GET stream, which may not be open yet.
    const on = { relatedRequestId: ctx.mcp.mcpReq.id };
    const reply =
      method === 'sampling/createMessage'
        ? await ctx.mcp.mcpReq.requestSampling(params as never, on)
        : await ctx.mcp.mcpReq.elicitInput(params as never, on);
    return text(answer(reply as Record<string, unknown>));
  }
  const got = inputResponse(ctx.mcp.mcpReq.inputResponses, q.key);
  if (got.kind === 'missing') return inputRequired({ inputRequests: { [q.key]: q.request } });
  const reply = got.kind === 'sampling' ? got.result : got.kind === 'elicit' ? got : { roots: [] };
  return text(answer(reply as Record<string, unknown>));
}

const sampledText = (r: Record<string, unknown>): string => {
  const c = r.content as { type?: string; text?: string } | Array<{ text?: string }>;
  return (Array.isArray(c) ? c[0]?.text : c?.text) ?? '';
};

export const testSampling: ToolHandler = (args, ctx) =>
  ask(
    ctx,
    {
      key: 'sampling',
      request: inputRequired.createMessage({
        messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt ?? '') } }],
        maxTokens: 100,
      }),
    },
    (r) => `LLM response: ${sampledText(r)}`,
  );

export const testElicitation: ToolHandler = (args, ctx) =>
  ask(
    ctx,
    {
      key: 'elicitation',
      request: inputRequired.elicit({
        message: String(args.message ?? ''),
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      }),
    },
    (r) => `User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`,
  );

const elicitationDone = (r: Record<string, unknown>) =>
  `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;

export const testElicitationDefaults: ToolHandler = (_args, ctx) =>
  ask(
    ctx,
    {
      key: 'defaults',
      request: inputRequired.elicit({
        message: 'Please review and update the form fields with defaults',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: {
              type: 'string',
              description: 'User status',
              enum: ['active', 'inactive', 'pending'],
              default: 'active',
            },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
        },
      }),
    },
    elicitationDone,
  );

export const testElicitationEnums: ToolHandler = (_args, ctx) =>
  ask(
    ctx,
    {
      key: 'enums',
      request: inputRequired.elicit({
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            titledSingle: {
              type: 'string',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: {
              type: 'array',
              items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            },
            titledMulti: {
              type: 'array',
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
        } as never,
      }),
    },
    elicitationDone,
  );
