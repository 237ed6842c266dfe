import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type McpHttpHandler } from '@modelcontextprotocol/server';
import type { GatewayContext } from './context.js';
import type { Defects } from './defects.js';
import { registerHandlers } from './handlers.js';
import { DiscoveredClients, rewriteResults } from './modern-rewrite.js';
import { GatewaySession } from './session.js';
import { createUpstreamServer } from './upstream-server.js';

/** Headers a 2026-07-28 request repeats from its body (the server compares them: -32020 on a mismatch). */
const ROUTING_HEADERS = ['mcp-method', 'mcp-name'] as const;

export interface ModernFace {
  /** Whether a POST body (already read) belongs to the 2025 face: no per-request `_meta` envelope claim. */
  isLegacy(req: IncomingMessage, body: unknown): Promise<boolean>;
  /** Serve one 2026-07-28 request (server/discover, tools/*, subscriptions/listen, …). */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * The gateway's 2026-07-28 face: stateless, one SDK server per request
 * (createMcpHandler with `legacy: 'reject'`; the 2025 face keeps its
 * sessions, http.ts routes between them), all backed by one pool of
 * downstream connections shared by every modern request, so any request can
 * be answered without a session. List changes reach subscriptions/listen
 * streams through the handler's notifier.
 */
export function modernFace(gw: GatewayContext): ModernFace {
  const pool = new GatewaySession(gw, {}, 'modern');
  const handler = createMcpHandler(
    () => {
      const server = createUpstreamServer(gw.defects);
      registerHandlers(pool, server);
      return server;
    },
    {
      legacy: 'reject',
      maxRequestBodySize: gw.config.settings.maxBodyBytes,
      onerror: (e) => gw.log(`modern: ${e.message}`),
    },
  );
  gw.notify = handler.notify;
  const fetch = withDefects(gw.defects, handler.fetch);
  const node = toNodeHandler({ fetch }, { maxRequestBodySize: gw.config.settings.maxBodyBytes });
  const maxRequestBodySize = gw.config.settings.maxBodyBytes;
  const known = new DiscoveredClients();

  return {
    async isLegacy(req, body) {
      // DEFECT modern-unserved: everything goes to the 2025 face.
      if (gw.defects.has('modern-unserved')) return true;
      return isLegacyRequest(await toWebRequest(req, body, { maxRequestBodySize }), body, {
        maxRequestBodySize,
      });
    },
    async handle(req, res, body) {
      // DEFECT modern-stateful: a client is served only after its own server/discover.
      if (gw.defects.has('modern-stateful') && !known.admits(body)) return known.refuse(res, body);
      // DEFECT method-header-ignored: the routing headers are made to agree with the body, never compared.
      if (gw.defects.has('method-header-ignored')) alignHeaders(req, body);
      await node(req, res, body);
    },
    async close() {
      await handler.close().catch(() => {});
      await pool.close();
    },
  };
}

/** Cacheable 2026-07-28 results (ttlMs/cacheScope). */
const CACHEABLE = [
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'prompts/list',
  'resources/read',
];

/** The fetch of the modern face with the defects that rewrite its answers switched on. */
function withDefects(defects: Defects, fetch: McpHttpHandler['fetch']): McpHttpHandler['fetch'] {
  let out = fetch;
  // DEFECT result-type-dropped: prompts/list answers (the list clients read least) lose their resultType.
  if (defects.has('result-type-dropped'))
    out = rewriteResults(out, ['prompts/list'], (r) => {
      delete r.resultType;
    });
  // DEFECT cache-hints-widened: the gateway's own hints replace the backends' (an hour, shared).
  if (defects.has('cache-hints-widened'))
    out = rewriteResults(out, CACHEABLE, (r) => {
      r.ttlMs = 3_600_000;
      r.cacheScope = 'public';
    });
  return out;
}

/** Rewrite Mcp-Method/Mcp-Name to what the body says (the method-header-ignored defect). */
function alignHeaders(req: IncomingMessage, body: unknown): void {
  const msg = (body ?? {}) as { method?: unknown; params?: { name?: unknown; uri?: unknown } };
  const values: Record<(typeof ROUTING_HEADERS)[number], unknown> = {
    'mcp-method': msg.method,
    'mcp-name': msg.params?.name ?? msg.params?.uri,
  };
  for (const h of ROUTING_HEADERS) {
    const v = values[h];
    if (typeof v === 'string') req.headers[h] = v;
    else delete req.headers[h];
  }
}
