import type { IncomingMessage, ServerResponse } from 'node:http';
import { type JSONRPCMessage, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';

/**
 * What the HTTP face checks before a request reaches a session, and how it
 * says no: DNS-rebinding guards (Origin, and Host while listening on
 * loopback), the MCP-Protocol-Version header, and JSON-RPC error bodies that
 * answer the request by its id when the body could be read (none otherwise,
 * as MCP 2025-11-25's error response allows; never null).
 */

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The hostname of a Host header or Origin URL (`[::1]` bracketed), or '' when it does not parse. */
function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** No Origin (non-browser clients) is fine; otherwise localhost origins and the configured ones. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  return LOCAL_HOSTS.has(hostnameOf(origin));
}

/** The gateway listens on a loopback address only (then only local names may reach it). */
export function isLoopback(bindHost: string): boolean {
  const h = bindHost.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * A Host header naming the gateway. On loopback: localhost names and the
 * configured hosts (a rebinding attacker's page sends its own name). On
 * another address a server is reached by names it cannot guess: only the
 * configured hosts are enforced, when there are any.
 */
export function hostAllowed(host: string | undefined, bindHost: string, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  const name = host === undefined ? '' : hostnameOf(`http://${host}`);
  if (allowed.some((a) => a.toLowerCase() === name)) return true;
  if (isLoopback(bindHost)) return LOCAL_HOSTS.has(name);
  return allowed.length === 0;
}

/** An MCP-Protocol-Version header naming a revision the gateway does not speak (then 400). */
export function unsupportedVersion(req: IncomingMessage): string | undefined {
  const v = req.headers['mcp-protocol-version'];
  return typeof v === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(v) ? v : undefined;
}

/** The id of the request a body carries (a batch or a notification has none to answer by). */
export function requestIdOf(body: JSONRPCMessage | undefined): string | number | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('method' in body)) return undefined;
  return 'id' in body && (typeof body.id === 'string' || typeof body.id === 'number') ? body.id : undefined;
}

/** A JSON-RPC error body with an HTTP status: `id` when known, none when undefined, null only on request. */
export function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id?: string | number | null,
): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, ...(id === undefined ? {} : { id }) });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
