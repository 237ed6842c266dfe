import type { ClientOptions, Tool } from '@modelcontextprotocol/client';
import { nowUs } from '../measure/clock.js';
import { type CallOutcome, fromError, fromResult } from '../runner/outcome.js';
import type { Endpoint } from '../schema/target.js';
import { type ClientHooks, routedClient } from '../target/access-client.js';
import { type ConnectEndpointOptions, type Connection, connectEndpoint } from '../target/connect.js';

/**
 * One client session to the SUT, as checks use it: list tools, call a tool
 * by its exposed name and get the outcome as data (never an exception),
 * with the time it took. On a SUT reached through an access adapter the
 * session's client lists and calls through the adapter (access-client.ts),
 * for the session's own calls and for raw requests on `connection.client`.
 */
export interface CallProbe extends CallOutcome {
  durationMs: number;
}

export interface CallOptions {
  timeoutMs?: number;
  meta?: Record<string, unknown>;
  onprogress?: (p: { progress: number; total?: number; message?: string }) => void;
  signal?: AbortSignal;
}

export interface Session {
  readonly connection: Connection;
  /** Every tool, all pages followed. */
  tools(): Promise<Tool[]>;
  call(name: string, args?: Record<string, unknown>, opts?: CallOptions): Promise<CallProbe>;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  timeoutMs: number;
  clientOptions?: ClientOptions;
  /** Extra HTTP headers (e.g. Authorization, to see whether it leaks downstream). */
  headers?: Record<string, string>;
  label?: string;
  /** Route tools through the target's access adapter / report catalogue reads. */
  hooks?: Omit<ClientHooks, 'timeoutMs'>;
  /** Sees every message of the session (a check's transcript: transcript.ts). */
  onMessage?: ConnectEndpointOptions['onMessage'];
  /** The protocol the session speaks (a cross-era check opens one of each); default the SDK's legacy. */
  protocol?: ConnectEndpointOptions['protocol'];
}

export async function openSession(endpoint: Endpoint, opts: OpenSessionOptions): Promise<Session> {
  const ep: Endpoint =
    opts.headers && endpoint.transport !== 'stdio'
      ? { ...endpoint, headers: { ...endpoint.headers, ...opts.headers } }
      : endpoint;
  const connection = await connectEndpoint(ep, {
    timeoutMs: opts.timeoutMs,
    clientOptions: opts.clientOptions,
    label: opts.label ?? 'check session',
    onMessage: opts.onMessage,
    ...(opts.protocol ? { protocol: opts.protocol } : {}),
  });
  return sessionOf(connection, opts.timeoutMs, opts.hooks);
}

export function sessionOf(
  raw: Connection,
  timeoutMs: number,
  hooks?: Omit<ClientHooks, 'timeoutMs'>,
): Session {
  const connection = hooks ? { ...raw, client: routedClient(raw.client, { ...hooks, timeoutMs }) } : raw;
  const { client } = connection;
  return {
    connection,
    async tools() {
      return (await client.listTools(undefined, { timeout: timeoutMs })).tools;
    },
    async call(name, args = {}, o = {}) {
      const t0 = nowUs();
      try {
        const result = await client.callTool(
          { name, arguments: args, ...(o.meta ? { _meta: o.meta } : {}) },
          { timeout: o.timeoutMs ?? timeoutMs, onprogress: o.onprogress, signal: o.signal },
        );
        return { ...fromResult(result as Record<string, unknown>), durationMs: (nowUs() - t0) / 1000 };
      } catch (e) {
        return { ...fromError(e), durationMs: (nowUs() - t0) / 1000 };
      }
    },
    close: () => raw.close(),
  };
}
