import type { FastifyInstance } from 'fastify';
import type { LoadProbeConfigOptions } from './config.js';
import { type ProbeDaemonCore, type ReloadOutcome, startDaemonCore } from './daemon.js';
import type { ProbeResult } from './result.js';
import { buildProbeServer } from './server.js';

export interface ProbeDaemonOptions extends LoadProbeConfigOptions {
  /** Where to listen (default 127.0.0.1:9469; port 0 picks a free one). */
  host?: string;
  port?: number;
  /** Every probe result as it is known (e.g. `--otlp`'s spans). */
  onResult?: (r: ProbeResult) => void;
}

export interface ProbeDaemon {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:9469. */
  url: string;
  core: ProbeDaemonCore;
  reload(): Promise<ReloadOutcome>;
  /** Stop the schedule, the server and every probe still running. */
  close(): Promise<void>;
}

/** Start the probe daemon: the schedule and the HTTP server (`/metrics`, `/probe`, `/healthz`, `/-/reload`). */
export async function startProbeDaemon(
  configFile: string,
  options: ProbeDaemonOptions = {},
): Promise<ProbeDaemon> {
  const core = await startDaemonCore(configFile, options);
  let app: FastifyInstance | undefined;
  try {
    app = buildProbeServer(core);
    const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 9469 });
    const server = app;
    return {
      url,
      core,
      reload: () => core.reload(),
      async close() {
        await core.stop();
        await server.close();
      },
    };
  } catch (e) {
    await core.stop();
    await app?.close();
    throw e;
  }
}
