import {
  type Client,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  type StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { sleep } from '../runner/deadline.js';
import type { Endpoint, ProtocolChoice } from '../schema/target.js';
import { type Connection, connectEndpoint } from '../target/connect.js';
import { resolveEnvRefs } from '../target/placeholders.js';
import { HttpSender, type HttpSession } from './http-sender.js';
import { classifyAnswer, type RequestOutcome, toolCallTemplate } from './wire.js';

/**
 * A worker's sessions to one endpoint, opened through the SDK (handshake,
 * session id, negotiated era). Calls then go over the undici hot path for a
 * Streamable HTTP session in the legacy era, and through the SDK client
 * otherwise (stdio, legacy HTTP+SSE, the 2026-07-28 era), which gives each
 * request its own id.
 */
export interface SessionPool {
  /** Negotiated era of each session. */
  readonly eras: string[];
  call(
    session: number,
    tool: string,
    args: Record<string, unknown>,
    id: number,
    traceparent?: string,
    /** Arguments rendered for this call alone (not worth a cached body). */
    rendered?: boolean,
  ): Promise<RequestOutcome>;
  close(): Promise<void>;
}

export interface OpenSessionsOptions {
  count: number;
  protocol: ProtocolChoice;
  timeoutMs: number;
  connectTimeoutMs: number;
  hotPath: boolean;
  /** Undici connections for the hot path. */
  connections: number;
}

const LEGACY_ERA = /^20(24|25)-/;

export async function openSessions(endpoint: Endpoint, opts: OpenSessionsOptions): Promise<SessionPool> {
  const conns: Connection[] = [];
  const close = async () => {
    await Promise.allSettled(conns.map((c) => c.close()));
  };
  const connect = () =>
    connectEndpoint(endpoint, {
      timeoutMs: opts.connectTimeoutMs,
      protocol: opts.protocol,
      label: 'endpoint',
    });
  try {
    // One at a time: a stdio endpoint spawns a process per session.
    for (let i = 0; i < opts.count; i++) conns.push(await connect());
  } catch (e) {
    await close();
    throw e;
  }
  const eras = conns.map((c) => c.client.getNegotiatedProtocolVersion() ?? 'unknown');
  const hot = opts.hotPath && endpoint.transport === 'http' && eras.every((e) => LEGACY_ERA.test(e));
  if (hot) return httpPool(endpoint, conns, eras, opts, connect, close);
  const clients = conns.map((c) => c.client);
  return {
    eras,
    call: (session, tool, args, _id, traceparent) =>
      sdkCall(clients[session % clients.length] as Client, tool, args, opts.timeoutMs, traceparent),
    close,
  };
}

function httpPool(
  endpoint: Extract<Endpoint, { transport: 'http' }>,
  conns: Connection[],
  eras: string[],
  opts: OpenSessionsOptions,
  connect: () => Promise<Connection>,
  closeSessions: () => Promise<void>,
): SessionPool {
  const headers = resolveEnvRefs(endpoint.headers, 'endpoint.headers');
  const sender = new HttpSender(endpoint.url, headers, opts.connections, opts.timeoutMs);
  const sessions: HttpSession[] = conns.map((c, i) => ({
    headers: sender.headersFor((c.transport as StreamableHTTPClientTransport).sessionId, eras[i]),
  }));
  // A body template per step's arguments object (steps calling one tool with different arguments differ).
  const templates = new WeakMap<Record<string, unknown>, ReturnType<typeof toolCallTemplate>>();
  // A 404 on a session means the server lost it (a restart): open a new one, as a client would.
  const reopening = new Map<number, Promise<void>>();
  let closed = false;
  const reopen = (i: number) => {
    if (reopening.has(i) || closed) return;
    const p = connect()
      .then(async (c) => {
        if (closed) return c.close();
        const old = conns[i];
        conns[i] = c;
        (sessions[i] as HttpSession).headers = sender.headersFor(
          (c.transport as StreamableHTTPClientTransport).sessionId,
          c.client.getNegotiatedProtocolVersion() ?? eras[i],
        );
        await old?.close();
      })
      .catch(() => {})
      // Not more often than every REOPEN_MS per session while the server keeps refusing.
      .then(() => sleep(REOPEN_MS))
      .finally(() => reopening.delete(i));
    reopening.set(i, p);
  };
  return {
    eras,
    async call(session, tool, args, id, traceparent, rendered) {
      let t = rendered ? undefined : templates.get(args);
      if (!t) {
        t = toolCallTemplate(tool, args);
        if (!rendered) templates.set(args, t);
      }
      const i = session % sessions.length;
      const outcome = await sender.send(sessions[i] as HttpSession, id, t.body(id, traceparent));
      if (!outcome.ok && outcome.kind === 'http' && outcome.detail === '404') reopen(i);
      return outcome;
    },
    async close() {
      closed = true;
      await Promise.allSettled([...reopening.values()]);
      await sender.close();
      await closeSessions();
    },
  };
}

const REOPEN_MS = 250;

async function sdkCall(
  client: Client,
  tool: string,
  args: Record<string, unknown>,
  timeoutMs: number,
  traceparent: string | undefined,
): Promise<RequestOutcome> {
  try {
    const result = await client.callTool(
      { name: tool, arguments: args, ...(traceparent ? { _meta: { traceparent } } : {}) },
      { timeout: timeoutMs },
    );
    return classifyAnswer({ result });
  } catch (e) {
    if (e instanceof ProtocolError)
      return { ok: false, kind: 'jsonrpc', detail: String(e.code), message: e.message };
    if (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout)
      return { ok: false, kind: 'timeout' };
    const status = (e as { status?: unknown }).status;
    if (typeof status === 'number') return { ok: false, kind: 'http', detail: String(status) };
    return { ok: false, kind: 'transport', detail: e instanceof Error ? e.message.slice(0, 60) : 'error' };
  }
}
