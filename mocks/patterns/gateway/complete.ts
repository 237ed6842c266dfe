import type { CompleteRequest } from '@modelcontextprotocol/client';
import { ProtocolError, type Server } from '@modelcontextprotocol/server';
import { routeResource } from './catalog.js';
import { GATEWAY_ERROR } from './errors.js';
import type { GatewaySession } from './session.js';
import type { ServerGroup } from './settings.js';

type Ref = CompleteRequest['params']['ref'];

/** Where a completion reference goes: the owning server and the reference in its own names. */
interface Owner {
  group: ServerGroup;
  ref: Ref;
}

/**
 * completion/complete, relayed to the server that owns the reference: a
 * prompt by its exposed name (mapped back to the downstream's own name), a
 * resource template by its URI template (or a URI it matches). A server that
 * does not offer completions answers with no values, as the spec lets a
 * server with nothing to suggest do.
 */
export function registerCompletion(session: GatewaySession, server: Server): void {
  const { defects } = session;
  // DEFECT completion-dropped: not advertised, not served. DEFECT capabilities-overclaimed: advertised only.
  if (defects.has('completion-dropped') || defects.has('capabilities-overclaimed')) return;

  server.setRequestHandler('completion/complete', async (req, ctx) => {
    const owner = await ownerOf(session, req.params.ref);
    if (!owner) {
      const what = req.params.ref.type === 'ref/prompt' ? req.params.ref.name : req.params.ref.uri;
      throw new ProtocolError(GATEWAY_ERROR.invalidParams, `Unknown completion reference: ${what}`);
    }
    const params = { ...req.params, ref: owner.ref };
    const deadline = Date.now() + session.timeoutMs;
    const site = { server: owner.group.name, target: 'completion/complete' };
    return session.onGroup(owner.group, deadline, site, async (_ds, client, ms) => {
      if (!client.getServerCapabilities()?.completions) return { completion: { values: [] } };
      return client.complete(params, { timeout: ms, signal: ctx.mcpReq.signal });
    });
  });
}

async function ownerOf(session: GatewaySession, ref: Ref): Promise<Owner | undefined> {
  if (ref.type === 'ref/prompt') {
    const route =
      session.prompts.routes.get(ref.name) ?? (await session.refreshPrompts()).routes.get(ref.name);
    return route ? { group: route.group, ref: { ...ref, name: route.name } } : undefined;
  }
  const find = (table: typeof session.resources) =>
    table.matchers.find((m) => m.template.toString() === ref.uri)?.group ?? routeResource(table, ref.uri);
  const group = find(session.resources) ?? find(await session.refreshResources());
  return group ? { group, ref } : undefined;
}
