import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  LOG_LEVEL_META_KEY,
  type LoggingLevel,
  ProtocolError,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { InflightCall } from './downstream.js';
import { GATEWAY_ERROR } from './errors.js';
import { HELD_PREFIX, HeldCall } from './held-call.js';
import type { GatewaySession } from './session.js';

/**
 * tools/call for a modern (2026-07-28) client. There is no server-to-client
 * request in that era: when a 2025-era backend asks for sampling or
 * elicitation during the call, the call is held (held-call.ts) and the
 * question goes up as an `input_required` result; the client's retry (same
 * tool, `inputResponses`, the gateway's `requestState`) answers it and the
 * call goes on. A 2026-era backend's own `input_required` result is relayed
 * unchanged, and its retry forwarded with the client's responses and state.
 * Closing a round's stream cancels the held downstream call.
 */

type Answer = CallToolResult | Record<string, unknown>;

const NEEDS: Record<string, keyof ClientCapabilities> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/** The retry material of a round to forward downstream (a backend's own requestState, untouched). */
export function retryParams(session: GatewaySession, ctx: ServerContext): Record<string, unknown> {
  const state = ctx.mcpReq.requestState();
  const out: Record<string, unknown> = {};
  // DEFECT request-state-dropped: the backend's retry arrives as a fresh call.
  if (session.defects.has('request-state-dropped')) return out;
  if (typeof state === 'string' && state.startsWith(HELD_PREFIX)) return out; // the gateway's own (held call)
  if (typeof state === 'string') out.requestState = state;
  if (ctx.mcpReq.inputResponses) out.inputResponses = ctx.mcpReq.inputResponses;
  return out;
}

/**
 * The log level a 2026-07-28 backend is asked for (that era has no
 * logging/setLevel: the level rides on each request): a modern client's own,
 * or for a 2025 client every message (its session's level is applied when
 * the gateway relays them).
 */
export function downstreamLogLevel(session: GatewaySession, ctx: ServerContext): string | undefined {
  if (session.era === 'legacy') return 'debug';
  const envelope = (ctx.mcpReq.envelope ?? {}) as Record<string, unknown>;
  const level = envelope[LOG_LEVEL_META_KEY];
  return typeof level === 'string' ? level : undefined;
}

/**
 * `params` for a 2026-07-28 backend: the log level in `_meta`, and a modern
 * client's own capabilities (the backend asks only what the client can answer).
 */
export function forModernBackend(
  session: GatewaySession,
  ctx: ServerContext,
  params: Record<string, unknown>,
  level: string | undefined,
) {
  const meta = { ...((params._meta ?? {}) as Record<string, unknown>) };
  if (level !== undefined) meta[LOG_LEVEL_META_KEY] = level;
  if (session.era === 'modern') meta[CLIENT_CAPABILITIES_META_KEY] = clientCapabilities(ctx);
  return Object.keys(meta).length > 0 ? { ...params, _meta: meta } : params;
}

/** The held call a retry names, when the requestState is the gateway's (else undefined: a new call). */
export function resumeHeld(session: GatewaySession, ctx: ServerContext): Promise<Answer> | undefined {
  const state = ctx.mcpReq.requestState();
  if (typeof state !== 'string' || !state.startsWith(HELD_PREFIX)) return undefined;
  const held = session.held.take(state);
  if (!held) {
    throw new ProtocolError(GATEWAY_ERROR.invalidParams, 'Invalid or expired requestState', {
      reason: 'invalid_request_state',
    });
  }
  held.answer(ctx.mcpReq.inputResponses ?? {});
  return settle(session, ctx, held);
}

/** Start the downstream call held for a modern client, and answer this round. */
export function holdCall(
  session: GatewaySession,
  ctx: ServerContext,
  run: (held: HeldCall) => Promise<CallToolResult>,
): Promise<Answer> {
  const held = new HeldCall();
  held.finish(run(held));
  return settle(session, ctx, held);
}

/** How the backend's server-to-client requests reach a modern client: as questions of the held call. */
export function heldInflight(session: GatewaySession, ctx: ServerContext, held: HeldCall): InflightCall {
  const declared = clientCapabilities(ctx);
  return {
    era: 'modern',
    notify: (n) => ctx.mcpReq.notify(n as never).catch(() => {}),
    // The request's own log level decides (none: no log messages). DEFECT log-level-ignored: every one goes.
    log: (level, data, logger) =>
      session.defects.has('log-level-ignored')
        ? ctx.mcpReq.notify({ method: 'notifications/message', params: { level, data, logger } } as never)
        : ctx.mcpReq.log(level as LoggingLevel, data, logger),
    send: async (method, params) => {
      const capability = NEEDS[method];
      // DEFECT mrtr-unbridged: the backend's question is refused instead of put to the modern client.
      if (session.defects.has('mrtr-unbridged') || !capability || !declared[capability]) {
        throw new ProtocolError(
          GATEWAY_ERROR.methodNotFound,
          `the client behind the gateway does not support ${capability ?? method}`,
        );
      }
      return held.ask(method, params);
    },
  };
}

/** This round's answer: the call's result, or its next question (then the call is kept for the retry). */
async function settle(session: GatewaySession, ctx: ServerContext, held: HeldCall): Promise<Answer> {
  // The client closing this round's stream cancels the call (2026-07-28: cancellation is closing the stream).
  const cancel = () => held.abandon('the client closed the request stream');
  // DEFECT stream-close-ignored: the downstream call runs on (until its own timeout) after the client left.
  if (!session.defects.has('stream-close-ignored'))
    ctx.mcpReq.signal.addEventListener('abort', cancel, { once: true });
  try {
    const e = await held.next();
    if (e.kind === 'error') throw e.error;
    if (e.kind === 'done') return e.result;
    session.held.keep(held);
    const inputRequests: Record<string, unknown> = { [e.key]: { method: e.method, params: e.params ?? {} } };
    return { resultType: 'input_required', inputRequests, requestState: held.id };
  } finally {
    ctx.mcpReq.signal.removeEventListener('abort', cancel);
  }
}

/** The capabilities the modern client declared on this request. */
function clientCapabilities(ctx: ServerContext): ClientCapabilities {
  const envelope = (ctx.mcpReq.envelope ?? {}) as Record<string, unknown>;
  return (envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? {};
}
