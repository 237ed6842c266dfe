import type { ServerResponse } from 'node:http';
import { CLIENT_INFO_META_KEY, type McpHttpHandler } from '@modelcontextprotocol/server';

type Fetch = McpHttpHandler['fetch'];
type Result = Record<string, unknown>;

/**
 * A fetch whose answers to `methods` have their JSON-RPC result edited on
 * the way out, in a JSON body or in each SSE event that carries one. Used by
 * the defects of the modern face (modern.ts); the correct gateway
 * never rewrites an answer.
 */
export function rewriteResults(fetch: Fetch, methods: readonly string[], edit: (r: Result) => void): Fetch {
  return async (request, options) => {
    const response = await fetch(request, options);
    const method = (options?.parsedBody as { method?: unknown } | undefined)?.method;
    if (typeof method !== 'string' || !methods.includes(method)) return response;
    const type = response.headers.get('content-type') ?? '';
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    const text = await response.text();
    const body = type.includes('application/json')
      ? editMessage(text, edit)
      : type.includes('text/event-stream')
        ? text.replace(/^data: ?(.*)$/gm, (_line, data: string) => `data: ${editMessage(data, edit)}`)
        : text;
    return new Response(body, { status: response.status, headers });
  };
}

/** One serialized JSON-RPC message with its result edited (anything else unchanged). */
function editMessage(text: string, edit: (r: Result) => void): string {
  try {
    const msg = JSON.parse(text) as { result?: Result };
    if (!msg.result || typeof msg.result !== 'object') return text;
    edit(msg.result);
    return JSON.stringify(msg);
  } catch {
    return text;
  }
}

/**
 * The clients that sent server/discover, by clientInfo (the modern-stateful
 * defect: per-client state a stateless protocol must not need).
 */
export class DiscoveredClients {
  private readonly seen = new Set<string>();

  /** Whether the request may be served: a discover (remembered), or from a client seen discovering. */
  admits(body: unknown): boolean {
    const msg = (body ?? {}) as { method?: unknown; params?: { _meta?: Record<string, unknown> } };
    const info = msg.params?._meta?.[CLIENT_INFO_META_KEY] as
      | { name?: unknown; version?: unknown }
      | undefined;
    const key = `${String(info?.name)}@${String(info?.version)}`;
    if (msg.method === 'server/discover') {
      this.seen.add(key);
      return true;
    }
    return this.seen.has(key);
  }

  refuse(res: ServerResponse, body: unknown): void {
    const id = (body as { id?: unknown } | undefined)?.id ?? null;
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        error: { code: -32600, message: 'Unknown client: send server/discover first' },
      }),
    );
  }
}
