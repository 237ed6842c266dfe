import { ProtocolError, type Server } from '@modelcontextprotocol/server';
import { callTool } from './call.js';
import { retryParams } from './call-modern.js';
import { routeResource } from './catalog.js';
import { registerCompletion } from './complete.js';
import { GATEWAY_ERROR } from './errors.js';
import type { GatewaySession } from './session.js';
import type { ServerGroup } from './settings.js';

/**
 * The upstream face of a session: the lists the gateway serves (aggregated,
 * paginated with its own cursors) and the requests it routes by exposed name
 * (tools, prompts) or URI (resources). `server` is the session's own
 * (legacy) or one modern request's (modern.ts), both backed by `session`.
 */
export function registerHandlers(session: GatewaySession, server: Server): void {
  const { defects, gw } = session;
  const page = gw.paginator.page.bind(gw.paginator);

  // DEFECT version-echoed: initialize answers the revision the client offers, even one it cannot speak.
  if (defects.has('version-echoed')) {
    const sdk = server as unknown as { _oninitialize(r: unknown): Promise<Record<string, unknown>> };
    const negotiate = sdk._oninitialize.bind(server);
    server.setRequestHandler(
      'initialize',
      async (req) => ({ ...(await negotiate(req)), protocolVersion: req.params.protocolVersion }) as never,
    );
  }

  // Requests do not wait for the session's warm-up connects: each downstream connects on demand
  // (joining a connect already under way), so a server that hangs at connect costs one timeout, not two.
  server.setRequestHandler('tools/list', async (req) => {
    if (defects.has('down-at-start-fatal')) await session.start();
    if (defects.has('tools-late') && Date.now() - session.initializedAt < 500) return { tools: [] };
    const { list } = await session.refreshTools();
    session.listedOnce = true;
    if (defects.has('down-at-start-fatal') && session.toolFailures.length > 0) {
      throw new ProtocolError(
        GATEWAY_ERROR.internal,
        `downstream unavailable: ${session.toolFailures.join(', ')}`,
      );
    }
    const { page: tools, nextCursor } = page(list, 'tools', req.params?.cursor);
    return nextCursor ? { tools, nextCursor } : { tools };
  });

  server.setRequestHandler('tools/call', (req, ctx) => callTool(session, req, ctx));

  server.setRequestHandler('resources/list', async (req) => {
    const { list } = await session.refreshResources();
    const { page: resources, nextCursor } = page(list, 'resources', req.params?.cursor);
    return nextCursor ? { resources, nextCursor } : { resources };
  });

  server.setRequestHandler('resources/templates/list', async (req) => {
    const { templates } = await session.refreshResources();
    const { page: resourceTemplates, nextCursor } = page(templates, 'resourceTemplates', req.params?.cursor);
    return nextCursor ? { resourceTemplates, nextCursor } : { resourceTemplates };
  });

  /** The logical server owning a URI (looking again when it is not known yet). */
  const owner = async (uri: string): Promise<ServerGroup> => {
    if (defects.has('resources-unrouted')) return gw.config.groups[0]!;
    const group =
      routeResource(session.resources, uri) ?? routeResource(await session.refreshResources(), uri);
    if (!group) throw new ProtocolError(-32002, `Resource not found: ${uri}`, { uri });
    return group;
  };
  const deadline = () => Date.now() + session.timeoutMs;

  server.setRequestHandler('resources/read', async (req, ctx) => {
    const group = await owner(req.params.uri);
    return session.onGroup(group, deadline(), { server: group.name, target: req.params.uri }, (_d, c, ms) =>
      c.readResource(req.params, { timeout: ms, signal: ctx.mcpReq.signal }),
    );
  });

  for (const method of ['resources/subscribe', 'resources/unsubscribe'] as const) {
    server.setRequestHandler(method, async (req) => {
      if (defects.has('subscribe-dropped')) return {};
      const group = await owner(req.params.uri);
      return session.onGroup(
        group,
        deadline(),
        { server: group.name, target: req.params.uri },
        (ds, c, ms) => {
          // 2026-07-28 has no resources/subscribe: the backend is listened to for that URI instead.
          if (ds.era === 'modern')
            return method === 'resources/subscribe'
              ? ds.subscribeResource(c, req.params.uri, ms)
              : ds.unsubscribeResource(req.params.uri);
          return c.request({ method, params: req.params }, { timeout: ms });
        },
      );
    });
  }

  server.setRequestHandler('prompts/list', async (req) => {
    const { list } = await session.refreshPrompts();
    const { page: prompts, nextCursor } = page(list, 'prompts', req.params?.cursor);
    return nextCursor ? { prompts, nextCursor } : { prompts };
  });

  server.setRequestHandler('prompts/get', async (req, ctx) => {
    const name = req.params.name;
    const route = session.prompts.routes.get(name) ?? (await session.refreshPrompts()).routes.get(name);
    if (!route) throw new ProtocolError(GATEWAY_ERROR.invalidParams, `Unknown prompt: ${name}`);
    const params = { ...req.params, name: defects.has('prompts-unrouted') ? name : route.name };
    return session.onGroup(
      route.group,
      deadline(),
      { server: route.group.name, target: route.name },
      (_d, c, ms) =>
        session.era === 'modern'
          ? // A 2026-era backend may answer input_required; the client's retry carries its answers back.
            c.request(
              { method: 'prompts/get', params: { ...params, ...retryParams(session, ctx) } },
              { timeout: ms, signal: ctx.mcpReq.signal, allowInputRequired: true },
            )
          : c.getPrompt(params, { timeout: ms, signal: ctx.mcpReq.signal }),
    );
  });

  registerCompletion(session, server);

  if (defects.has('no-ping')) {
    server.setRequestHandler('ping', async () => {
      throw new ProtocolError(GATEWAY_ERROR.methodNotFound, 'Method not found');
    });
  }

  server.setNotificationHandler('notifications/roots/list_changed', async () => {
    for (const ds of session.downstreams.values()) await ds.current?.sendRootsListChanged().catch(() => {});
  });
}
