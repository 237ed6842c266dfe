import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  type InputRequest,
  inputRequired,
  inputResponse,
  ProtocolError,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { PromptHandler, ToolHandler } from '../../harness/schema/fleet.js';

/**
 * The multi-round-trip (input_required) tools of the official suite's
 * 2026-07-28 fixture contract. Each answers input_required until every answer
 * it needs has arrived in `inputResponses` (a missing or wrong answer is asked
 * again, extra keys are ignored); state that round-trips through the client is
 * HMAC-signed and a tampered one is refused with -32602.
 */

const KEY = randomBytes(32);
const sign = (payload: string) =>
  `${payload}.${createHmac('sha256', KEY).update(payload).digest('base64url')}`;

/** The payload of a signed state, or a -32602 refusal when it was altered. */
function verified(state: string | undefined): string | undefined {
  if (state === undefined) return undefined;
  const dot = state.lastIndexOf('.');
  const payload = state.slice(0, dot);
  const mac = Buffer.from(state.slice(dot + 1));
  const want = Buffer.from(sign(payload).slice(dot + 1));
  if (dot < 0 || mac.length !== want.length || !timingSafeEqual(mac, want))
    throw new ProtocolError(-32602, 'requestState failed its integrity check');
  return payload;
}

const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });
const stateOf = (mcp: ServerContext) => verified(mcp.mcpReq.requestState<string>());
const legacyOnly = () => text('input_required results are a 2026-07-28 feature; this connection is 2025-era');

const askName = (message: string, prop = 'name') =>
  inputRequired.elicit({
    message,
    requestedSchema: { type: 'object', properties: { [prop]: { type: 'string' } }, required: [prop] },
  });

/** The accepted elicitation content under `key` when it has the required string `prop`. */
function answered(mcp: ServerContext, key: string, prop: string): string | undefined {
  const c = acceptedContent(mcp.mcpReq.inputResponses, key);
  return typeof c?.[prop] === 'string' ? (c[prop] as string) : undefined;
}

export const elicitationRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  const name = answered(mcp, 'user_name', 'name');
  if (name === undefined)
    return inputRequired({ inputRequests: { user_name: askName('What is your name?') } });
  return text(`Hello, ${name}!`);
};

export const samplingRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  const got = inputResponse(mcp.mcpReq.inputResponses, 'capital_question');
  if (got.kind !== 'sampling') {
    const q = inputRequired.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
      maxTokens: 100,
    });
    return inputRequired({ inputRequests: { capital_question: q } });
  }
  const c = got.result.content;
  const first = Array.isArray(c) ? c[0] : c;
  return text(`Sampling response: ${first?.type === 'text' ? first.text : ''}`);
};

export const listRootsRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  const got = inputResponse(mcp.mcpReq.inputResponses, 'client_roots');
  if (got.kind !== 'roots')
    return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
  return text(`Client roots: ${got.roots.map((r) => r.uri).join(', ') || '(none)'}`);
};

export const requestStateRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  const state = stateOf(mcp);
  const ok = acceptedContent(mcp.mcpReq.inputResponses, 'confirm');
  if (state !== 'confirm' || typeof ok?.ok !== 'boolean') {
    const confirm = inputRequired.elicit({
      message: 'Please confirm',
      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
    });
    return inputRequired({ inputRequests: { confirm }, requestState: sign('confirm') });
  }
  return text(`state-ok: confirmed=${ok.ok}`);
};

export const multipleInputsRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  const r = mcp.mcpReq.inputResponses;
  const kinds = ['user_name', 'greeting', 'client_roots'].map((k) => inputResponse(r, k).kind);
  if (stateOf(mcp) !== 'multi' || kinds.includes('missing')) {
    const inputRequests: Record<string, InputRequest> = {
      user_name: askName('What is your name?'),
      greeting: inputRequired.createMessage({
        messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
        maxTokens: 50,
      }),
      client_roots: inputRequired.listRoots(),
    };
    return inputRequired({ inputRequests, requestState: sign('multi') });
  }
  return text(`All inputs received: ${kinds.join(', ')}`);
};

export const multiRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  const state = stateOf(mcp);
  const name = state?.startsWith('step2:') ? state.slice(6) : answered(mcp, 'step1', 'name');
  if (name === undefined)
    return inputRequired({
      inputRequests: { step1: askName('Step 1: What is your name?') },
      requestState: sign('step1'),
    });
  const color = state?.startsWith('step2:') ? answered(mcp, 'step2', 'color') : undefined;
  if (color === undefined)
    return inputRequired({
      inputRequests: { step2: askName('Step 2: What is your favorite color?', 'color') },
      requestState: sign(`step2:${name}`),
    });
  return text(`${name} likes ${color}`);
};

export const tamperedStateRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  if (stateOf(mcp) === 'tamper-check' && answered(mcp, 'confirm', 'name') !== undefined)
    return text('state verified');
  return inputRequired({
    inputRequests: { confirm: askName('Confirm your name') },
    requestState: sign('tamper-check'),
  });
};

/** Asks only for what the request's declared client capabilities allow. */
export const capabilitiesRound: ToolHandler = (_a, { era, mcp }) => {
  if (era === 'legacy') return legacyOnly();
  const envelope = mcp.mcpReq.envelope as Record<string, unknown> | undefined;
  const caps = envelope?.[CLIENT_CAPABILITIES_META_KEY] as Record<string, unknown> | undefined;
  const inputRequests: Record<string, InputRequest> = {};
  if (caps?.sampling)
    inputRequests.greeting = inputRequired.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
      maxTokens: 20,
    });
  if (caps?.elicitation) inputRequests.user_name = askName('What is your name?');
  if (Object.keys(inputRequests).length === 0 || Object.keys(mcp.mcpReq.inputResponses ?? {}).length > 0)
    return text('done');
  return inputRequired({ inputRequests });
};

/** prompts/get may answer input_required too (a non-tool request): the prompt needs the user's context. */
export const promptRound: PromptHandler = (_a, { era, mcp }) => {
  const context = era === 'modern' ? answered(mcp, 'user_context', 'context') : 'a 2025-era session';
  if (context === undefined) {
    const ask = inputRequired.elicit({
      message: 'What context should the prompt use?',
      requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] },
    });
    return inputRequired({ inputRequests: { user_context: ask } });
  }
  return {
    description: 'A prompt that asked for its context',
    messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${context}` } }],
  };
};
