import type { CallToolResult, Client, ProgressCallback } from '@modelcontextprotocol/client';
import type { AccessRoutes } from './access-routes.js';

/**
 * The SDK client as checks see it on a SUT reached through an access
 * adapter: `tools/call` by a name the adapter routes goes to `access.call`
 * (given the real client), and `tools/list` without a cursor answers the
 * adapter's listing (one page). Whatever else is asked goes to the SUT as it
 * is. Without routes it only reports catalogue reads (`onCatalogue`), so a
 * run can tell which checks compared the SUT's tool list with the fleet.
 */
export interface ClientHooks {
  routes?: AccessRoutes;
  /** A tools/list without a cursor was sent (the check reads the SUT's catalogue). */
  onCatalogue?: () => void;
  /** Per-request bound when the caller gives none. */
  timeoutMs: number;
}

interface SendOptions {
  timeout?: number;
  signal?: AbortSignal;
  onprogress?: ProgressCallback;
}

interface CallParams {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** `request(req, options)` or `request(req, resultSchema, options)`: the options either way. */
function optionsOf(a: unknown, b: unknown): SendOptions | undefined {
  if (b !== undefined) return b as SendOptions;
  const isSchema = typeof a === 'object' && a !== null && ('_zod' in a || 'safeParse' in a);
  return isSchema ? undefined : (a as SendOptions | undefined);
}

export function routedClient(client: Client, hooks: ClientHooks): Client {
  const { routes } = hooks;
  const routedName = (params: unknown) => {
    const name = (params as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && routes?.routed(name) !== undefined ? name : undefined;
  };
  const viaAccess = (params: CallParams, o: SendOptions | undefined): Promise<CallToolResult> => {
    const r = routes as AccessRoutes;
    // The meta goes as it is: a progressToken the caller put there is the one progress must come back under.
    return r.access.call(client, params.name, params.arguments ?? {}, {
      logical: r.routed(params.name),
      timeoutMs: o?.timeout ?? hooks.timeoutMs,
      ...(o?.signal ? { signal: o.signal } : {}),
      ...(params._meta ? { meta: params._meta } : {}),
      ...(o?.onprogress ? { onprogress: o.onprogress } : {}),
    });
  };
  const catalogue = (params: unknown): { tools: unknown[] } | undefined => {
    if ((params as { cursor?: unknown } | undefined)?.cursor !== undefined) return undefined;
    hooks.onCatalogue?.();
    return routes ? { tools: routes.tools } : undefined;
  };

  const request = (req: { method: string; params?: unknown }, a?: unknown, b?: unknown) => {
    if (req.method === 'tools/call' && routedName(req.params))
      return viaAccess(req.params as CallParams, optionsOf(a, b));
    if (req.method === 'tools/list') {
      const listing = catalogue(req.params);
      if (listing) return Promise.resolve(listing);
    }
    return (client.request as (...args: unknown[]) => Promise<unknown>)(req, a, b);
  };
  const callTool = (params: CallParams, options?: SendOptions) =>
    routedName(params) ? viaAccess(params, options) : client.callTool(params, options);
  const listTools = (params?: { cursor?: string }, options?: SendOptions) => {
    const listing = catalogue(params);
    return listing ? Promise.resolve(listing) : client.listTools(params, options);
  };

  const own: Record<PropertyKey, unknown> = { request, callTool, listTools };
  return new Proxy(client, {
    get(target, prop) {
      if (Object.hasOwn(own, prop)) return own[prop];
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
