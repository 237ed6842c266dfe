import {
  Client,
  type ClientCapabilities,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { describeExit } from '../../../harness/target/process.js';
import { HarnessStdioTransport } from '../../../harness/target/stdio.js';
import { withTimeout } from '../../../harness/target/timeout.js';
import type { Defects } from './defects.js';
import { classify, DeadlineExceeded, DownstreamUnavailable, shortReason } from './errors.js';
import type { McpServerEntry } from './settings.js';

export const GATEWAY_INFO = { name: 'mcp-harness-gateway', version: '0.1.0' };

/** A stdio server is a process to start (a runtime and its modules): its handshake gets this long at least. */
const STDIO_START_MS = 10_000;

/** What a downstream connection needs from the upstream session that owns it. */
export interface DownstreamOwner {
  readonly defects: Defects;
  /** The per-call timeout (for messages). */
  readonly timeoutMs: number;
  /** Capabilities to declare downstream: those of the upstream client (sampling, elicitation, roots). */
  clientCapabilities(): ClientCapabilities;
  /** Extra headers for HTTP downstreams (empty unless the auth-forwarded defect is on). */
  forwardedHeaders(): Record<string, string>;
  /** Install notification and request relays on a fresh client. */
  install(client: Client, ds: Downstream): void;
  /** Called after every (re)connect, e.g. to refresh the catalogue. */
  connected(ds: Downstream): void;
  log(message: string): void;
}

export type DownstreamState = 'idle' | 'up' | 'down' | 'closed';

/** The upstream request a downstream call serves; relays attach notifications and requests to it. */
export interface InflightCall {
  /** `modern`: the upstream client speaks 2026-07-28 and is asked through input_required (call-modern.ts). */
  era?: 'legacy' | 'modern';
  notify(n: { method: string; params?: Record<string, unknown> }): Promise<void>;
  log(level: string, data: unknown, logger?: string): Promise<void>;
  send(method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<unknown>;
}

/**
 * One downstream MCP server as seen by one upstream session: an SDK Client
 * that is (re)connected on demand. Every operation runs within a deadline;
 * a 404 (expired session) or refused connection is followed by one
 * re-initialize and retry, a closed connection marks it down until the next use.
 */
export class Downstream {
  state: DownstreamState = 'idle';
  /** Connected at least once in this session. */
  everUp = false;
  /** Successful connects in this session (a reconnect or respawn makes it 2 or more). */
  connects = 0;
  lastError: string | undefined;
  /** Upstream calls in flight on this downstream (latest last). */
  readonly inflight: InflightCall[] = [];
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;

  constructor(
    readonly name: string,
    readonly entry: McpServerEntry,
    private readonly owner: DownstreamOwner,
  ) {}

  /** PID of the stdio server process while connected. */
  get pid(): number | undefined {
    const t = this.current?.transport;
    return t instanceof HarnessStdioTransport ? (t.pid ?? undefined) : undefined;
  }

  /** The connected client, if any (no connect attempt). */
  get current(): Client | undefined {
    return this.state === 'up' ? this.client : undefined;
  }

  /** DEFECT malformed-poisons: set by an unparsable message, never cleared. */
  private poisoned = false;

  /** A connected client, connecting (again) when needed, before `deadline` (ms epoch). */
  async ready(deadline: number): Promise<Client> {
    if (this.state === 'closed') throw new DownstreamUnavailable('the gateway session is closed');
    if (this.state === 'up' && this.client) return this.client;
    if (this.state === 'down' && this.everUp && this.owner.defects.has('no-reconnect'))
      throw new DownstreamUnavailable(`down since: ${this.lastError}`);
    if (!this.connecting) {
      this.connecting = this.connect(deadline).finally(() => {
        this.connecting = undefined;
      });
      this.connecting.catch(() => {}); // a caller that stopped waiting leaves no unhandled rejection
    }
    return this.untilDeadline(this.connecting, deadline);
  }

  /**
   * A stdio server may take longer to start than a caller waits (its handshake
   * gets STDIO_START_MS at least): the caller gives up at its own deadline,
   * the start goes on, and a later caller finds the server up.
   */
  private untilDeadline(connecting: Promise<Client>, deadline: number): Promise<Client> {
    if (!this.isStdio) return connecting;
    const ms = remaining(deadline, this.owner.timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DownstreamUnavailable(`no answer to initialize within ${ms} ms (still starting)`)),
        ms,
      );
    });
    return Promise.race([connecting, late]).finally(() => clearTimeout(timer));
  }

  private get isStdio(): boolean {
    return 'command' in this.entry;
  }

  /**
   * Run one request on a connected client. When the connection turns out dead
   * before the request was answered (404, refused), reconnect and retry once.
   */
  async run<T>(deadline: number, fn: (c: Client, ms: number) => Promise<T>): Promise<T> {
    const { timeoutMs } = this.owner;
    if (this.poisoned) throw new DownstreamUnavailable('the connection received a malformed message earlier');
    for (let attempt = 0; ; attempt++) {
      const client = await this.ready(deadline);
      try {
        return await fn(client, remaining(deadline, timeoutMs));
      } catch (err) {
        const f = classify(err, timeoutMs);
        if (f.kind === 'closed' || f.kind === 'unavailable' || f.kind === 'expired')
          this.markDown(client, f.reason);
        const retry =
          attempt === 0 &&
          ((f.kind === 'expired' && !this.owner.defects.has('stale-session')) ||
            (f.kind === 'unavailable' && !this.owner.defects.has('no-reconnect')));
        if (!retry) throw err;
      }
    }
  }

  private async connect(deadline: number): Promise<Client> {
    const ms = Math.max(remaining(deadline, this.owner.timeoutMs), this.isStdio ? STDIO_START_MS : 0);
    const transport = this.buildTransport();
    const client = new Client(GATEWAY_INFO, {
      capabilities: this.owner.clientCapabilities(),
      // Either era downstream: 2026-07-28 when the backend answers server/discover, else the 2025 handshake.
      // Legacy HTTP+SSE is 2025-only. DEFECT legacy-downstream-only: never tries 2026-07-28.
      versionNegotiation: {
        mode:
          this.owner.defects.has('legacy-downstream-only') ||
          ('type' in this.entry && this.entry.type === 'sse')
            ? 'legacy'
            : 'auto',
        // A 2025-only stdio server may leave server/discover unanswered: a short probe leaves the
        // initialize fallback most of the deadline. (Over HTTP every server answers it.)
        probe: { timeoutMs: Math.max(100, Math.floor(this.owner.timeoutMs / 4)) },
      },
      // A 2026-era backend's input_required is fulfilled through the relays (relay.ts) for a 2025 client.
      // DEFECT input-required-unfulfilled: it is not, and the call fails.
      ...(this.owner.defects.has('input-required-unfulfilled')
        ? { inputRequired: { autoFulfill: false } }
        : {}),
    });
    this.owner.install(client, this);
    client.onerror = (e) => {
      // SSE stream reconnects and stray lines are not the caller's business, except under
      // DEFECT malformed-poisons: one unparsable message condemns the connection for good.
      // A late answer to an abandoned request (the era probe's server/discover on a slow stdio server)
      // is not a malformed message.
      const message = String(e?.message);
      if (
        this.owner.defects.has('malformed-poisons') &&
        /JSON|Unexpected token|parse/i.test(message) &&
        !/unknown message ID/i.test(message)
      ) {
        this.poisoned = true;
      }
    };
    client.onclose = () => {
      if (this.client === client) this.markDown(client, 'the server closed the connection');
    };
    try {
      await client.connect(transport, { timeout: ms });
    } catch (err) {
      const exit = transport instanceof HarnessStdioTransport ? transport.unpromptedExit : undefined;
      await client.close().catch(() => {});
      if (transport instanceof HarnessStdioTransport) await transport.kill();
      const f = classify(err, ms);
      const reason = exit
        ? `the server process ${describeExit(exit)}`
        : f.kind === 'timeout'
          ? `no answer to initialize within ${ms} ms`
          : shortReason(err);
      if (this.state !== 'closed') this.state = 'down';
      this.lastError = reason;
      this.owner.log(`downstream ${this.name}: cannot connect: ${reason}`);
      throw new DownstreamUnavailable(reason, { cause: err });
    }
    if (this.state === 'closed') {
      await client.close().catch(() => {});
      throw new DownstreamUnavailable('the gateway session is closed');
    }
    this.client = client;
    this.state = 'up';
    this.everUp = true;
    this.connects++;
    this.lastError = undefined;
    this.owner.connected(this);
    if (this.era === 'modern') void this.listen(client);
    return client;
  }

  /** The era the connected backend speaks (undefined while not connected). */
  get era(): 'legacy' | 'modern' | undefined {
    const v = this.current?.getNegotiatedProtocolVersion();
    return v === undefined ? undefined : v >= '2026-07-28' ? 'modern' : 'legacy';
  }

  /** resources/subscribe of a 2025 client, on a 2026-07-28 backend: a subscriptions/listen stream per URI. */
  private readonly resourceStreams = new Map<string, { close(): Promise<void> }>();

  async subscribeResource(client: Client, uri: string, ms: number): Promise<Record<string, never>> {
    if (!this.resourceStreams.has(uri))
      this.resourceStreams.set(uri, await client.listen({ resourceSubscriptions: [uri] }, { timeout: ms }));
    return {};
  }

  async unsubscribeResource(uri: string): Promise<Record<string, never>> {
    const sub = this.resourceStreams.get(uri);
    this.resourceStreams.delete(uri);
    await sub?.close().catch(() => {});
    return {};
  }

  /** A 2026-07-28 backend tells of list changes only on a subscriptions/listen stream: keep one open. */
  private async listen(client: Client): Promise<void> {
    try {
      await client.listen(
        { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true },
        { timeout: this.owner.timeoutMs },
      );
    } catch (e) {
      this.owner.log(`downstream ${this.name}: subscriptions/listen failed: ${shortReason(e)}`);
    }
  }

  /** Forget a dead connection (its process group is ended); the next use reconnects. */
  markDown(client: Client, reason: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.state === 'up') this.state = 'down';
    this.lastError = reason;
    this.owner.log(`downstream ${this.name}: down: ${reason}`);
    void client.close().catch(() => {});
  }

  /** Release the downstream session (DELETE on HTTP) and end a stdio process group. */
  async close(): Promise<void> {
    this.state = 'closed';
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    const transport = client.transport;
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
      await withTimeout(transport.terminateSession(), 1000).catch(() => {});
    }
    await withTimeout(client.close(), 3000).catch(() => {});
  }

  private buildTransport(): Transport {
    const e = this.entry;
    if ('command' in e) {
      return new HarnessStdioTransport({
        command: e.command,
        args: e.args,
        env: e.env,
        cwd: e.cwd,
        shutdownTimeoutMs: 1000,
      });
    }
    const requestInit = { headers: { ...e.headers, ...this.owner.forwardedHeaders() } };
    const url = new URL(e.url);
    if (e.type === 'sse') return new SSEClientTransport(url, { requestInit });
    return new StreamableHTTPClientTransport(url, {
      requestInit,
      reconnectionOptions: {
        maxRetries: 2,
        initialReconnectionDelay: 500,
        maxReconnectionDelay: 2000,
        reconnectionDelayGrowFactor: 2,
      },
    });
  }
}

/** Milliseconds left before `deadline`; throws when none are. */
export function remaining(deadline: number, timeoutMs: number): number {
  const ms = deadline - Date.now();
  if (ms <= 0) throw new DeadlineExceeded(timeoutMs);
  return ms;
}
