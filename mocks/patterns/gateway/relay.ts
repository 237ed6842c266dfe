import type { Client, LoggingMessageNotification } from '@modelcontextprotocol/client';
import { ProtocolError } from '@modelcontextprotocol/server';
import type { Downstream } from './downstream.js';
import { GATEWAY_ERROR } from './errors.js';
import type { GatewaySession } from './session.js';

/**
 * What flows from a downstream server back up: list_changed, logging and
 * resource-updated notifications, and server-to-client requests (sampling,
 * elicitation, roots). They go to the upstream session that owns the
 * downstream connection, attached to the upstream call in flight on it
 * when there is one (so on HTTP they travel on that call's stream).
 */
export function installRelays(session: GatewaySession, client: Client, ds: Downstream): void {
  const { defects } = session;

  const listChanged = (kind: 'tools' | 'resources' | 'prompts') => async () => {
    if (kind === 'tools' && defects.has('list-changed-dropped')) return;
    // No refresh here: the client lists again, and a call to a name not routed yet triggers one.
    const targets = defects.has('notifications-leak') ? [...session.gw.sessions] : [session];
    for (const s of targets) await s.announce(kind);
  };
  client.setNotificationHandler('notifications/tools/list_changed', listChanged('tools'));
  client.setNotificationHandler('notifications/resources/list_changed', listChanged('resources'));
  client.setNotificationHandler('notifications/prompts/list_changed', listChanged('prompts'));

  client.setNotificationHandler('notifications/resources/updated', async (n) => {
    if (session.era === 'modern') session.gw.notify?.resourceUpdated(n.params.uri);
    else await session.server.sendResourceUpdated(n.params).catch(() => undefined);
  });

  client.setNotificationHandler('notifications/message', async (n: LoggingMessageNotification) => {
    if (defects.has('logs-dropped')) return;
    const { level, data, logger } = n.params;
    if (defects.has('notifications-leak')) {
      for (const s of session.gw.sessions) await s.server.sendLoggingMessage(n.params).catch(() => undefined);
      return;
    }
    const call = ds.inflight.at(-1);
    const sent = call ? call.log(level, data, logger) : session.server.sendLoggingMessage(n.params);
    await sent.catch(() => undefined);
  });

  const caps = session.clientCapabilities();
  if (defects.has('sampling-fabricated')) {
    client.setRequestHandler('sampling/createMessage', async () => ({
      model: 'mcp-harness-gateway',
      role: 'assistant' as const,
      content: { type: 'text' as const, text: 'answered by the gateway' },
    }));
  } else if (caps.sampling) {
    client.setRequestHandler('sampling/createMessage', async (req, ctx) => {
      return (await relayRequest(
        session,
        ds,
        'sampling/createMessage',
        req.params,
        ctx.mcpReq.signal,
      )) as never;
    });
  }
  // Requests the upstream client cannot take (capability not declared downstream): a clear refusal.
  client.fallbackRequestHandler = async (req) => {
    throw new ProtocolError(
      GATEWAY_ERROR.methodNotFound,
      `the client behind the gateway does not support ${req.method} (asked by ${ds.name})`,
    );
  };
  if (caps.elicitation) {
    client.setRequestHandler('elicitation/create', async (req, ctx) => {
      return (await relayRequest(session, ds, 'elicitation/create', req.params, ctx.mcpReq.signal)) as never;
    });
  }
  if (caps.roots) {
    client.setRequestHandler('roots/list', async (req, ctx) => {
      return (await relayRequest(session, ds, 'roots/list', req.params, ctx.mcpReq.signal)) as never;
    });
  }
}

const NEEDS = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
} as const;

/** Forward a server-to-client request to the upstream client; refused when it lacks the capability. */
async function relayRequest(
  session: GatewaySession,
  ds: Downstream,
  method: keyof typeof NEEDS,
  params: unknown,
  signal: AbortSignal,
): Promise<unknown> {
  const capability = NEEDS[method];
  const call = ds.inflight.at(-1);
  // A modern client's capabilities are declared per request: the call itself decides (call-modern.ts).
  if (call?.era === 'modern') return call.send(method, params as Record<string, unknown> | undefined, signal);
  if (!session.server.getClientCapabilities()?.[capability]) {
    throw new ProtocolError(
      GATEWAY_ERROR.methodNotFound,
      `the client behind the gateway does not support ${capability} (asked by ${ds.name})`,
    );
  }
  const body = params as Record<string, unknown> | undefined;
  if (call) return call.send(method, body, signal);
  return session.server.request({ method, params: body } as never, { signal });
}
