import {
  type CallToolRequest,
  type CallToolResult,
  isInputRequiredResult,
  type LoggingLevel,
  type Progress,
  ProtocolError,
  type ServerContext,
} from '@modelcontextprotocol/server';
import {
  downstreamLogLevel,
  forModernBackend,
  heldInflight,
  holdCall,
  resumeHeld,
  retryParams,
} from './call-modern.js';
import type { Defects } from './defects.js';
import type { InflightCall } from './downstream.js';
import { classify, DownstreamUnavailable, GATEWAY_ERROR, upstreamError } from './errors.js';
import type { GatewaySession } from './session.js';

/** The no-timeout defect still needs a finite timer: ~23 days (setTimeout's limit is 2^31-1 ms). */
const NO_TIMEOUT_MS = 2_000_000_000;

/**
 * tools/call: route the exposed name to its logical server, forward arguments
 * and `_meta` unchanged (the progress token mapped to the downstream's),
 * relay progress, cancellation, logs and server-to-client requests for the
 * duration of the call, and pass the result (isError included) back as it came.
 */
export async function callTool(
  session: GatewaySession,
  req: CallToolRequest,
  ctx: ServerContext,
): Promise<CallToolResult> {
  session.callsInFlight++;
  try {
    return await serveCall(session, req, ctx);
  } finally {
    session.callsInFlight--;
  }
}

async function serveCall(
  session: GatewaySession,
  req: CallToolRequest,
  ctx: ServerContext,
): Promise<CallToolResult> {
  const { defects } = session;
  // A modern client's retry of a call the gateway holds (its requestState is the gateway's).
  const resumed = session.era === 'modern' ? resumeHeld(session, ctx) : undefined;
  if (resumed) return (await resumed) as CallToolResult;
  const name = req.params.name;
  // Seen on arrival (DEFECT calls-before-ready-fail): soon after the handshake, nothing listed, another call served.
  const crowded =
    Date.now() - session.initializedAt < 500 && !session.listedOnce && session.callsInFlight > 1;
  const route = session.tools.routes.get(name) ?? (await session.refreshTools()).routes.get(name);
  if (!route) {
    const unreachable = session.unreachableFor(name);
    if (unreachable) throw unreachable;
    if (defects.has('unknown-tool-iserror'))
      return { content: [{ type: 'text', text: `Unknown tool: ${name}` }], isError: true };
    throw new ProtocolError(GATEWAY_ERROR.invalidParams, `Unknown tool: ${name}`);
  }
  // DEFECT added-tool-unroutable: a tool listed only since a downstream's list_changed routes nowhere.
  if (defects.has('added-tool-unroutable') && session.firstTools && !session.firstTools.has(name))
    throw new ProtocolError(GATEWAY_ERROR.invalidParams, `Unknown tool: ${name}`);
  const site = { server: route.group.name, target: route.name };
  // DEFECT calls-before-ready-fail: while a new session's catalogue is still being built (no tools/list
  // answered yet, within 500 ms of the handshake) it serves one call at a time and refuses the others.
  if (defects.has('calls-before-ready-fail') && crowded)
    throw new ProtocolError(GATEWAY_ERROR.internal, `${site.server}/${site.target}: not ready yet`);
  const dead = defects.has('dead-backend-cascade') ? session.deadDownstream() : undefined;
  if (dead) {
    const f = classify(new DownstreamUnavailable(`backend ${dead.name} is down`), session.timeoutMs);
    throw upstreamError(f, site, defects);
  }

  const deadline = Date.now() + (defects.has('no-timeout') ? NO_TIMEOUT_MS : session.timeoutMs);
  const params = { ...forwardParams(req, route.name, defects), ...retryParams(session, ctx) };
  const progress = progressRelay(session, ctx, req.params._meta?.progressToken);
  const logLevel = downstreamLogLevel(session, ctx);
  const downstream = async (inflight: InflightCall, signal: AbortSignal): Promise<CallToolResult> => {
    let result: CallToolResult;
    try {
      result = await session.onGroup(route.group, deadline, site, async (ds, client, ms) => {
        // DEFECT respawn-unserved: a stdio server started again after it died is never served.
        if (defects.has('respawn-unserved') && 'command' in ds.entry && ds.connects > 1)
          throw new DownstreamUnavailable('restarted, not serving yet');
        ds.inflight.push(inflight);
        try {
          return await client.request(
            {
              method: 'tools/call',
              params: ds.era === 'modern' ? forModernBackend(session, ctx, params, logLevel) : params,
            },
            {
              timeout: ms,
              ...(defects.has('cancel-dropped') ? {} : { signal }),
              ...(progress.onprogress ? { onprogress: progress.onprogress } : {}),
              ...(session.era === 'modern' ? { allowInputRequired: true } : {}),
            },
          );
        } finally {
          ds.inflight.splice(ds.inflight.indexOf(inflight), 1);
        }
      });
    } finally {
      await progress.finish();
    }
    result = withoutHopMeta(result);
    if (isInputRequiredResult(result)) return result;
    return shapeResult(session, result, site);
  };
  if (session.era === 'legacy') return downstream(inflightCall(ctx), ctx.mcpReq.signal);
  // A modern client cannot be asked mid-call: a 2025-era backend's questions go up as input_required
  // (call-modern.ts); a 2026-era backend's own input_required results are relayed as they come.
  return (await holdCall(session, ctx, (held) =>
    downstream(heldInflight(session, ctx, held), held.controller.signal),
  )) as CallToolResult;
}

/** The protocol's reserved `_meta` keys belong to the backend's hop (its serverInfo…), not to the client's. */
function withoutHopMeta(result: CallToolResult): CallToolResult {
  if (!result._meta) return result;
  const meta = Object.fromEntries(
    Object.entries(result._meta).filter(([k]) => !k.startsWith('io.modelcontextprotocol/')),
  );
  const { _meta: _hop, ...rest } = result;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

/** The result as the defects shape it (a correct gateway returns it as it came). */
async function shapeResult(
  session: GatewaySession,
  result: CallToolResult,
  site: { server: string; target: string },
): Promise<CallToolResult> {
  const { defects, gw } = session;
  if (result.isError && defects.has('iserror-to-success')) {
    const { isError: _dropped, ...rest } = result;
    result = rest as CallToolResult;
  } else if (result.isError && defects.has('iserror-to-jsonrpc')) {
    const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join(' ');
    throw new ProtocolError(GATEWAY_ERROR.internal, `${site.server}/${site.target}: ${text}`);
  }
  // DEFECT iserror-first-block-only: an error result keeps its first content block only.
  if (result.isError && defects.has('iserror-first-block-only'))
    result = { ...result, content: result.content.slice(0, 1) };
  // DEFECT content-dropped: only text survives.
  if (defects.has('content-dropped'))
    result = { ...result, content: result.content.filter((c) => c.type === 'text') };
  if (defects.has('crossed-responses')) {
    gw.crossSlot = result;
    await new Promise((r) => setTimeout(r, 25));
    result = gw.crossSlot as CallToolResult;
  }
  return result;
}

/** The downstream request: same params, downstream tool name, `_meta` without the upstream progress token. */
function forwardParams(req: CallToolRequest, name: string, defects: Defects): Record<string, unknown> {
  const { name: _exposed, arguments: args, _meta, ...rest } = req.params;
  const { progressToken: _token, ...meta } = _meta ?? {};
  const out: Record<string, unknown> = { ...rest, name };
  if (defects.has('args-mutated')) out.arguments = { ...args, _gateway: true };
  else if (args !== undefined) out.arguments = args;
  if (!defects.has('no-trace') && Object.keys(meta).length > 0) out._meta = meta;
  return out;
}

/**
 * Relay downstream progress under the upstream token: only increasing values,
 * each sent before the result, none after it.
 */
function progressRelay(session: GatewaySession, ctx: ServerContext, token: string | number | undefined) {
  const { defects } = session;
  if (token === undefined || defects.has('progress-dropped')) {
    return { onprogress: undefined, finish: async () => {} };
  }
  const late = defects.has('progress-after-result');
  const held: Progress[] = [];
  const upstream = (p: Progress) => ({
    method: 'notifications/progress' as const,
    params: { ...p, progressToken: token },
  });
  let last = Number.NEGATIVE_INFINITY;
  let done = false;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    onprogress: (p: Progress) => {
      if (done || !(p.progress > last)) return;
      last = p.progress;
      if (late) held.push(p);
      else chain = chain.then(() => ctx.mcpReq.notify(upstream(p))).catch(() => {});
    },
    finish: async () => {
      done = true;
      await chain;
      if (held.length === 0) return;
      setTimeout(() => {
        for (const p of held) void session.server.notification(upstream(p)).catch(() => {});
      }, 20);
    },
  };
}

/** How relays reach the upstream request this call serves. */
function inflightCall(ctx: ServerContext): InflightCall {
  return {
    notify: (n) => ctx.mcpReq.notify(n as never),
    log: (level, data, logger) => ctx.mcpReq.log(level as LoggingLevel, data, logger),
    send: (method, params, signal) => ctx.mcpReq.send({ method, params } as never, { signal }),
  };
}
