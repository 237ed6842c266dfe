import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type McpHttpHandler } from '@modelcontextprotocol/server';
import type { GatewayContext } from './context.js';
import { registerHandlers } from './handlers.js';
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
  // DEFECT result-type-dropped: JSON answers lose their resultType on the way out.
  const fetch = gw.defects.has('result-type-dropped') ? withoutResultType(handler.fetch) : handler.fetch;
  const node = toNodeHandler({ fetch }, { maxRequestBodySize: gw.config.settings.maxBodyBytes });
  const maxRequestBodySize = gw.config.settings.maxBodyBytes;

  return {
    async isLegacy(req, body) {
      // DEFECT modern-unserved: everything goes to the 2025 face.
      if (gw.defects.has('modern-unserved')) return true;
      return isLegacyRequest(await toWebRequest(req, body, { maxRequestBodySize }), body, {
        maxRequestBodySize,
      });
    },
    async handle(req, res, body) {
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

/** A fetch whose JSON prompts/list answers have no `result.resultType` (the result-type-dropped defect). */
function withoutResultType(fetch: McpHttpHandler['fetch']): McpHttpHandler['fetch'] {
  return async (request, options) => {
    const response = await fetch(request, options);
    const method = (options?.parsedBody as { method?: unknown } | undefined)?.method;
    if (method !== 'prompts/list') return response; // the list clients read least
    if (!response.headers.get('content-type')?.includes('application/json')) return response;
    const body = (await response.json()) as { result?: Record<string, unknown> };
    if (body.result) delete body.result.resultType;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: response.status, headers });
  };
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
