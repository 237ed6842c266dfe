import {
  Client,
  type ClientOptions,
  type Implementation,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SSEClientTransport,
  SseError,
  StreamableHTTPClientTransport,
  type Transport,
  type VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import { HarnessError } from '../errors.js';
import { ERA_VERSION, type Era } from '../schema/era.js';
import type { Endpoint, ProtocolChoice } from '../schema/target.js';
import { linkedFetch } from './linked-fetch.js';
import { resolveEnvRefs } from './placeholders.js';
import { describeExit } from './process.js';
import { HarnessStdioTransport } from './stdio.js';
import { withTimeout } from './timeout.js';

/**
 * Connect an SDK Client to one endpoint (stdio, Streamable HTTP, legacy
 * HTTP+SSE). The handshake is bounded by `timeoutMs`; every failure becomes
 * SUT_UNREACHABLE with a reason a person can act on, and leaves no process
 * or socket behind.
 */

export const DEFAULT_CLIENT_INFO: Implementation = { name: 'mcp-harness', version: '0.1.0' };

export interface ConnectEndpointOptions {
  /** Bound of the whole connect (spawn/stream open + handshake). */
  timeoutMs: number;
  /** The era to speak (target `protocol`); default legacy. */
  protocol?: ProtocolChoice;
  clientInfo?: Implementation;
  signal?: AbortSignal;
  /** Where the endpoint sits in the target file (`endpoint`, `servers.weather`), for problems and messages. */
  label?: string;
  /** Extra SDK client options (capabilities, listChanged…); versionNegotiation comes from `protocol`. */
  clientOptions?: ClientOptions;
  /** Environment for `${ENV_NAME}` references; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Sees every JSON-RPC message this connection sends and receives (the handshake included). */
  onMessage?: (direction: 'sent' | 'received', message: unknown) => void;
}

export interface Connection {
  client: Client;
  endpoint: Endpoint;
  transport: Transport;
  /** The era negotiated on this connection: legacy (2025-11-25 initialize) or modern (2026-07-28 discover). */
  era: Era;
  /** The protocol revision negotiated on this connection. */
  protocolVersion?: string;
  /** PID of the stdio server (leader of its process group). */
  pid?: number;
  /** Last stderr lines of a stdio server. */
  stderr(n?: number): string[];
  /** Close the session (and end the stdio server's process group). Idempotent. */
  close(): Promise<void>;
}

/**
 * The SDK client's negotiation mode for a target's `protocol`: `legacy` speaks
 * 2025-11-25 (initialize, no probe), `modern` pins 2026-07-28 (server/discover,
 * no fallback), `auto` probes and falls back to initialize, a revision pins it.
 */
export function versionNegotiation(protocol: ProtocolChoice): VersionNegotiationMode {
  if (protocol === 'legacy' || protocol === 'auto') return protocol;
  if (protocol === 'modern') return { pin: ERA_VERSION.modern };
  return { pin: protocol };
}

/** The era an SDK client negotiated (legacy until it has connected). */
export function eraOf(client: Client): Era {
  return client.getProtocolEra() === 'modern' ? 'modern' : 'legacy';
}

export async function connectEndpoint(endpoint: Endpoint, opts: ConnectEndpointOptions): Promise<Connection> {
  const label = opts.label ?? 'endpoint';
  const where = describeEndpoint(endpoint);
  const transport = buildTransport(endpoint, label, opts.env);
  if (opts.onMessage) tapMessages(transport, opts.onMessage);
  const mode = versionNegotiation(opts.protocol ?? 'legacy');
  const client = new Client(opts.clientInfo ?? DEFAULT_CLIENT_INFO, {
    ...opts.clientOptions,
    versionNegotiation: {
      mode,
      // auto: a legacy stdio server may ignore the server/discover probe, so leave time for the
      // initialize fallback; pinned: the probe is the whole handshake (a slow-starting server gets all of it).
      probe: {
        timeoutMs:
          typeof mode === 'object'
            ? opts.timeoutMs
            : Math.max(1, Math.min(5000, Math.floor(opts.timeoutMs / 3))),
      },
    },
  });
  const stdio = transport instanceof HarnessStdioTransport ? transport : undefined;

  let closing: Promise<void> | undefined;
  const close = (graceful = true) => {
    closing ??= (async () => {
      if (graceful && transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
        await withTimeout(
          transport.terminateSession().catch(() => {}),
          1000,
        );
      }
      // On a failed connect the server gets no grace: end its group first.
      if (stdio && !graceful) await stdio.kill();
      await withTimeout(
        client.close().catch(() => {}),
        5000,
      );
      if (stdio) await stdio.kill(); // no-op when client.close() already ended it
    })();
    return closing;
  };

  const ac = new AbortController();
  const onAbort = () => ac.abort(opts.signal?.reason);
  if (opts.signal?.aborted) ac.abort(opts.signal.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let phase = stdio ? 'starting the process' : 'opening the connection';
  let rejectDied: (e: Error) => void = () => {};
  try {
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectTimeout()), opts.timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(new HarnessError('SUT_UNREACHABLE', `${label} (${where}): connect aborted`));
      if (ac.signal.aborted) fail();
      else ac.signal.addEventListener('abort', fail, { once: true });
    });
    const died = new Promise<never>((_, reject) => {
      rejectDied = reject;
    });
    // Client.connect starts the transport: note when the handshake begins, and
    // fail at once when a stdio server exits during it.
    const start = transport.start.bind(transport);
    transport.start = async () => {
      await start();
      phase = 'waiting for the initialize answer';
      void stdio?.exited?.then(() => {
        if (stdio.unpromptedExit) rejectDied(new Error('the server process exited'));
      });
    };
    // No signal here: the SDK would keep it for every later request (a listener per call); the race below aborts.
    const connecting = client.connect(transport, { timeout: opts.timeoutMs });
    await Promise.race([connecting, timedOut, aborted, died]);
    rejectDied = () => {};
    return {
      client,
      endpoint,
      transport,
      era: eraOf(client),
      protocolVersion: client.getNegotiatedProtocolVersion(),
      pid: stdio?.pid ?? undefined,
      stderr: (n) => stdio?.stderrTail(n) ?? [],
      close: () => close(true),
    };
  } catch (err) {
    rejectDied = () => {};
    // Describe before cleaning up: the cleanup kills the process, which would become "the reason".
    const reason =
      err instanceof HarnessError
        ? ''
        : describeFailure(err, { endpoint, phase, timeoutMs: opts.timeoutMs, stdio });
    await close(false);
    if (err instanceof HarnessError) throw err;
    throw new HarnessError('SUT_UNREACHABLE', `${label} (${where}): ${reason}`, { cause: err });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

class ConnectTimeout extends Error {}

/** Report each message sent and received; a throwing observer never disturbs the connection. */
export function tapMessages(
  transport: Transport,
  observe: (direction: 'sent' | 'received', message: unknown) => void,
): void {
  const see = (direction: 'sent' | 'received', message: unknown) => {
    try {
      observe(direction, message);
    } catch {
      // an observer's failure is not the connection's
    }
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    see('sent', message);
    return send(message, options);
  };
  // The client installs its handler when it connects: wrap whatever it sets.
  type Handler = NonNullable<Transport['onmessage']>;
  let handler: Transport['onmessage'];
  const wrap = (h: Transport['onmessage']): Transport['onmessage'] =>
    h &&
    (((message, extra) => {
      see('received', message);
      return h(message, extra);
    }) as Handler);
  handler = wrap(transport.onmessage);
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (h: Transport['onmessage']) => {
      handler = wrap(h);
    },
  });
}

function buildTransport(endpoint: Endpoint, label: string, env: NodeJS.ProcessEnv | undefined): Transport {
  switch (endpoint.transport) {
    case 'stdio':
      return new HarnessStdioTransport({
        command: endpoint.command,
        args: endpoint.args,
        env: resolveEnvRefs(endpoint.env, `${label}.env`, env),
        cwd: endpoint.cwd,
      });
    case 'http': {
      const headers = resolveEnvRefs(endpoint.headers, `${label}.headers`, env);
      return new StreamableHTTPClientTransport(parseUrl(endpoint.url, `${label}.url`), {
        requestInit: { headers },
        fetch: linkedFetch, // one abort listener per request, released with its body (MaxListenersExceeded)
      });
    }
    case 'sse': {
      const headers = resolveEnvRefs(endpoint.headers, `${label}.headers`, env);
      return new SSEClientTransport(parseUrl(endpoint.url, `${label}.url`), { requestInit: { headers } });
    }
  }
}

function parseUrl(url: string, path: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new HarnessError('INVALID_CONFIG', `invalid URL ${url}`, {
      problems: [{ path, message: 'expected a URL' }],
    });
  }
}

export function describeEndpoint(e: Endpoint): string {
  switch (e.transport) {
    case 'stdio':
      return `stdio: ${[e.command, ...e.args].join(' ')}`;
    case 'http':
      return `streamable HTTP ${e.url}`;
    case 'sse':
      return `HTTP+SSE ${e.url}`;
  }
}

interface FailureContext {
  endpoint: Endpoint;
  phase: string;
  timeoutMs: number;
  stdio: HarnessStdioTransport | undefined;
}

function describeFailure(err: unknown, ctx: FailureContext): string {
  const parts: string[] = [];
  const exit = ctx.stdio?.unpromptedExit;
  if (exit) {
    parts.push(`the server process ${describeExit(exit)} while ${ctx.phase}`);
  } else if (err instanceof ConnectTimeout || isTimeout(err)) {
    parts.push(`no answer within ${ctx.timeoutMs} ms while ${ctx.phase}`);
  } else {
    parts.push(describeError(err, ctx.endpoint));
  }
  if (ctx.stdio) {
    if (ctx.stdio.noiseLines > 0) {
      const sample = ctx.stdio.noise.tail(3).map((l) => JSON.stringify(l));
      parts.push(
        `stdout carried ${ctx.stdio.noiseLines} line(s) that are not JSON-RPC (stdout must only carry MCP messages), e.g. ${sample.join(', ')}`,
      );
    }
    const tail = ctx.stdio.stderrTail(10);
    if (tail.length > 0) parts.push(`last stderr lines:\n${tail.map((l) => `  ${l}`).join('\n')}`);
  }
  return parts.join('; ');
}

function isTimeout(err: unknown): boolean {
  return err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout;
}

const NET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOENT: 'command not found',
  EACCES: 'permission denied',
};

/** A short reason for a connect error, looking through the `cause` chain. */
export function describeError(err: unknown, endpoint?: Endpoint): string {
  if (err instanceof SdkHttpError) {
    return `HTTP ${err.status}${err.statusText ? ` ${err.statusText}` : ''}${bodySnippet(err.data)}`;
  }
  if (err instanceof SseError && err.code !== undefined) {
    return `HTTP ${err.code} when opening the SSE stream${err.message ? `: ${err.message}` : ''}`;
  }
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NET_CODES[code]) {
      const target =
        endpoint && endpoint.transport !== 'stdio'
          ? ` (${new URL(endpoint.url).host})`
          : endpoint
            ? ` (${endpoint.command})`
            : '';
      return `${NET_CODES[code]}${target}`;
    }
  }
  if (err instanceof SdkError && err.code === SdkErrorCode.ConnectionClosed) return 'the connection closed';
  if (!(err instanceof Error)) return String(err);
  // "fetch failed" alone says little: add the messages of its causes.
  const messages: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const m = e.message || e.name;
    if (!messages.some((x) => x.includes(m))) messages.push(m);
  }
  return messages.join(': ');
}

function bodySnippet(data: unknown): string {
  const text = (data as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '') return '';
  const one = text.replace(/\s+/g, ' ').trim();
  return `: ${one.length > 160 ? `${one.slice(0, 160)}…` : one}`;
}
