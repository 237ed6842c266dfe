import type { CallToolRequest, CallToolResult, Implementation } from '@modelcontextprotocol/client';
import { HarnessError } from '../../../harness/errors.js';
import type { Endpoint } from '../../../harness/schema/target.js';
import { type Connection, connectEndpoint, describeEndpoint } from '../../../harness/target/connect.js';

/**
 * Downstream connections of the chain. By default every upstream request gets
 * its own scope: one sub-client per downstream server it uses, connected on
 * first use and closed when the request ends, so concurrent composite calls
 * never share a session. The `shared-client` defect swaps in one long-lived
 * client per server for every request, with a classic coalescing bug.
 */

/** setTimeout's ceiling: "no timeout" for the SDK, which otherwise defaults to 60 s. */
export const NO_TIMEOUT_MS = 2_147_483_647;
const CONNECT_TIMEOUT_MS = 30_000;

export type CallParams = CallToolRequest['params'];

export interface DownstreamScope {
  /** Call one tool; `signal` aborts the connect and the call (the SDK then sends notifications/cancelled). */
  callTool(server: string, params: CallParams, signal: AbortSignal): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface DownstreamOptions {
  clientInfo: Implementation;
  /** The `shared-client` defect. */
  shared?: boolean;
}

export class Downstreams {
  private readonly open = new Set<DownstreamScope>();
  private readonly shared: SharedScope | undefined;

  constructor(
    private readonly endpoints: ReadonlyMap<string, Endpoint>,
    private readonly options: DownstreamOptions,
  ) {
    if (options.shared) this.shared = new SharedScope((s, signal) => this.connect(s, signal));
  }

  /** A scope for one upstream request; close it when the request ends. */
  scope(): DownstreamScope {
    if (this.shared) return { callTool: (...a) => this.shared!.callTool(...a), close: async () => {} };
    const scope = new RequestScope((s, signal) => this.connect(s, signal));
    this.open.add(scope);
    return {
      callTool: (...a) => scope.callTool(...a),
      close: async () => {
        try {
          await scope.close();
        } finally {
          this.open.delete(scope);
        }
      },
    };
  }

  /** Close every downstream connection still open (shutdown). */
  async closeAll(): Promise<void> {
    const scopes = [...this.open, ...(this.shared ? [this.shared] : [])];
    this.open.clear();
    await Promise.allSettled(scopes.map((s) => s.close()));
  }

  private async connect(server: string, signal: AbortSignal): Promise<Connection> {
    const endpoint = this.endpoints.get(server);
    if (!endpoint) throw new Error(`unknown server '${server}'`);
    const label = `server ${server}`;
    try {
      return await connectEndpoint(endpoint, {
        timeoutMs: CONNECT_TIMEOUT_MS,
        signal,
        label,
        clientInfo: this.options.clientInfo,
      });
    } catch (err) {
      // The reason only: the endpoint (URL, command line) is the chain's business, not the caller's.
      const where = `${label} (${describeEndpoint(endpoint)}): `;
      if (!(err instanceof HarnessError) || !err.message.startsWith(where)) throw err;
      throw new HarnessError(err.code, `cannot reach ${label}: ${err.message.slice(where.length)}`, {
        cause: err,
      });
    }
  }
}

type Connect = (server: string, signal: AbortSignal) => Promise<Connection>;

/** One sub-client per server, for the life of one upstream request. */
class RequestScope implements DownstreamScope {
  private readonly conns = new Map<string, Promise<Connection>>();
  private closing: Promise<void> | undefined;

  constructor(private readonly connect: Connect) {}

  async callTool(server: string, params: CallParams, signal: AbortSignal): Promise<CallToolResult> {
    if (this.closing) throw new Error('the upstream request has ended');
    let conn = this.conns.get(server);
    if (!conn) {
      conn = this.connect(server, signal);
      this.conns.set(server, conn);
      // A failed connect is not cached: a later step may try again.
      conn.catch(() => this.conns.get(server) === conn && this.conns.delete(server));
    }
    const { client } = await conn;
    return (await client.callTool(params, { signal, timeout: NO_TIMEOUT_MS })) as CallToolResult;
  }

  /** Idempotent: a second close waits for the first. */
  close(): Promise<void> {
    this.closing ??= Promise.allSettled([...this.conns.values()].map(async (c) => (await c).close())).then(
      () => this.conns.clear(),
    );
    return this.closing;
  }
}

/**
 * DEFECT shared-client: one client per server for the whole process, and
 * in-flight calls coalesced by `server/tool` — the key forgets the arguments,
 * so concurrent callers of one tool all get the first caller's result.
 */
class SharedScope implements DownstreamScope {
  private readonly conns = new Map<string, Promise<Connection>>();
  private readonly inflight = new Map<string, Promise<CallToolResult>>();
  private readonly lifetime = new AbortController();

  constructor(private readonly connect: Connect) {}

  callTool(server: string, params: CallParams, signal: AbortSignal): Promise<CallToolResult> {
    const key = `${server}/${params.name}`;
    let call = this.inflight.get(key);
    if (!call) {
      call = this.client(server)
        .then((c) => c.client.callTool(params, { signal, timeout: NO_TIMEOUT_MS }) as Promise<CallToolResult>)
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, call);
    }
    return call;
  }

  private client(server: string): Promise<Connection> {
    let conn = this.conns.get(server);
    if (!conn) {
      conn = this.connect(server, this.lifetime.signal);
      this.conns.set(server, conn);
      conn.catch(() => this.conns.get(server) === conn && this.conns.delete(server));
    }
    return conn;
  }

  async close(): Promise<void> {
    this.lifetime.abort();
    const conns = [...this.conns.values()];
    this.conns.clear();
    await Promise.allSettled(conns.map(async (c) => (await c).close()));
  }
}
