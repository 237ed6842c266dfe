import type { Readable, Writable } from 'node:stream';
import { loadGatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { Paginator } from './cursor.js';
import { parseDefects } from './defects.js';
import { serveHttp } from './http.js';
import type { GatewaySettingsInput } from './settings.js';
import { serveStdio } from './stdio.js';

export { DEFECT_NAMES, DEFECTS, type DefectName, defectsTable } from './defects.js';
export { GATEWAY_ERROR } from './errors.js';
export type { GatewaySettings, GatewaySettingsInput } from './settings.js';

export interface GatewayOptions {
  /** Path of an mcpServers JSON/YAML file, or the document itself. */
  mcpServers: string | Record<string, unknown>;
  /** Upstream transport; default 'http'. */
  transport?: 'http' | 'stdio';
  /** HTTP port; 0 (default) picks a free one. */
  port?: number;
  /** HTTP bind address; default 127.0.0.1. */
  host?: string;
  /** Defect names (see defects.ts); unknown names are an INVALID_ARGS error. */
  defects?: string[];
  /** Override the file's `gateway` settings, field by field. */
  settings?: Partial<GatewaySettingsInput>;
  /** stdio upstream streams; default the process's stdin/stdout. */
  stdin?: Readable;
  stdout?: Writable;
  /** Diagnostics (never stdout); default stderr. */
  log?: (line: string) => void;
  /** The gateway hit a fatal defect (oversize-crash); default: close the gateway. */
  onFatal?: (reason: string) => void;
  /** stdio: the upstream session ended (stdin closed). */
  onSessionEnd?: () => void;
}

export interface RunningGateway {
  /** The Streamable HTTP endpoint (http transport). */
  url?: string;
  /** Open upstream sessions. */
  sessions(): number;
  /** Downstream connections currently held (a leak shows here). */
  downstreamConnections(): number;
  /** PIDs of the stdio downstream processes currently held. */
  downstreamPids(): number[];
  /** Close every upstream session and every downstream connection and process. Idempotent. */
  close(): Promise<void>;
}

/** Start the reference gateway in this process. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const defects = parseDefects(options.defects ?? []);
  const config = await loadGatewayConfig(options.mcpServers, options.settings);
  const log = options.log ?? ((line: string) => process.stderr.write(`[gateway] ${line}\n`));
  let close: () => Promise<void> = async () => {};
  const gw: GatewayContext = {
    config,
    defects,
    paginator: new Paginator(config.settings.pageSize, defects),
    sessions: new Set(),
    downstreams: new Set(),
    log,
    fatal(reason) {
      log(`fatal: ${reason}`);
      if (options.onFatal) options.onFatal(reason);
      else void close();
    },
  };
  if (defects.list().length > 0) log(`defects on: ${defects.list().join(', ')}`);

  let serving: { url?: string; close(): Promise<void> };
  if ((options.transport ?? 'http') === 'stdio') {
    serving = await serveStdio(gw, options.stdin, options.stdout, options.onSessionEnd);
  } else {
    serving = await serveHttp(gw, options.host ?? '127.0.0.1', options.port ?? 0);
  }

  let closing: Promise<void> | undefined;
  close = () => {
    closing ??= (async () => {
      await serving.close().catch(() => {});
      await Promise.all([...gw.sessions].map((s) => s.close()));
      // Whatever is still held (the session-leak defect) goes now.
      await Promise.all([...gw.downstreams].map((d) => d.close()));
      gw.downstreams.clear();
    })();
    return closing;
  };
  return {
    ...(serving.url ? { url: serving.url } : {}),
    sessions: () => gw.sessions.size,
    downstreamConnections: () => [...gw.downstreams].filter((d) => d.state === 'up').length,
    downstreamPids: () => [...gw.downstreams].flatMap((d) => (d.pid === undefined ? [] : [d.pid])),
    close,
  };
}
