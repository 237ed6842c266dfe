import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { HarnessError } from '../errors.js';
import type { LaunchSpec } from '../schema/target.js';
import { describeExit, type ExitInfo, GroupProcess } from './process.js';

/**
 * Start a SUT from its launch recipe (already rendered: no placeholders left),
 * wait until it is ready, and stop it again — the whole process group, on every path.
 */

/** How to tell the SUT is ready. `probe` runs an MCP handshake; it should reject quickly when not ready. */
export type Readiness =
  | { kind: 'spawned' }
  | { kind: 'http'; url: string }
  | { kind: 'log'; pattern: RegExp }
  | { kind: 'handshake'; probe: (signal: AbortSignal) => Promise<void> };

/** Timeouts come from the recipe (`readyTimeoutMs`, `shutdownTimeoutMs`). */
export interface LaunchOptions {
  ready: Readiness;
  /** Aborting stops the launch (the process is stopped, the promise rejects). */
  signal?: AbortSignal;
  /** Lines kept for error messages. */
  keepLines?: number;
}

export interface Launched {
  pid: number;
  /** Last captured stdout/stderr lines, each prefixed `[stdout] ` or `[stderr] `. */
  output(n?: number): string[];
  /** Exit of the process, when it has exited. */
  readonly exit: ExitInfo | undefined;
  /** Resolves when the process exits (for whatever reason). */
  readonly exited: Promise<ExitInfo>;
  /** SIGTERM the group, wait shutdownTimeoutMs, SIGKILL the group; resolves once it has exited. */
  stop(): Promise<ExitInfo>;
}

/** Write the rendered config template, if any. */
export async function writeConfigTemplate(t: { path: string; content: string } | undefined): Promise<void> {
  if (!t) return;
  try {
    await mkdir(dirname(t.path), { recursive: true });
    await writeFile(t.path, t.content, 'utf8');
  } catch (cause) {
    throw new HarnessError('SUT_START_FAILED', `cannot write the config template to ${t.path}`, { cause });
  }
}

export async function launch(spec: LaunchSpec, opts: LaunchOptions): Promise<Launched> {
  await writeConfigTemplate(spec.configTemplate);
  const cmdline = [spec.command, ...spec.args].join(' ');
  let logMatched: (() => void) | undefined;
  const logSeen = new Promise<void>((resolve) => {
    logMatched = resolve;
  });
  const pattern = opts.ready.kind === 'log' ? opts.ready.pattern : undefined;

  let proc: GroupProcess;
  try {
    proc = await GroupProcess.spawn(spec.command, spec.args, {
      env: { ...process.env, ...spec.env },
      cwd: spec.cwd,
      stdin: 'ignore',
      captureStdout: true,
      keepLines: opts.keepLines ?? 200,
      onLine: pattern ? (line) => (pattern.test(line) ? logMatched?.() : undefined) : undefined,
    });
  } catch (cause) {
    throw new HarnessError('SUT_START_FAILED', `cannot start \`${cmdline}\`: ${(cause as Error).message}`, {
      cause,
    });
  }

  const launched: Launched = {
    pid: proc.pid,
    output: (n) => proc.output.tail(n),
    get exit() {
      return proc.exit;
    },
    exited: proc.exited,
    stop: () => proc.stop({ graceMs: spec.shutdownTimeoutMs }),
  };

  const ac = new AbortController();
  const onAbort = () => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    if (opts.signal?.aborted)
      throw new HarnessError('SUT_START_FAILED', `launch of \`${cmdline}\` was aborted`);
    const ready = waitReady(opts.ready, logSeen, ac.signal);
    const died = proc.exited.then((e) => {
      throw startFailed(`\`${cmdline}\` ${describeExit(e)} before it was ready`, launched);
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            startFailed(
              `\`${cmdline}\` was not ready within ${spec.readyTimeoutMs} ms (waiting for ${describeReady(opts.ready)})`,
              launched,
            ),
          ),
        spec.readyTimeoutMs,
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      ac.signal.addEventListener('abort', () =>
        reject(new HarnessError('SUT_START_FAILED', `launch of \`${cmdline}\` was aborted`)),
      );
    });
    await Promise.race([ready, died, timedOut, aborted]);
    return launched;
  } catch (err) {
    await launched.stop();
    throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function startFailed(reason: string, l: Launched): HarnessError {
  const tail = l.output(20);
  const text =
    tail.length > 0
      ? `${reason}; last output:\n${tail.map((t) => `  ${t}`).join('\n')}`
      : `${reason} (no output)`;
  return new HarnessError('SUT_START_FAILED', text);
}

function describeReady(r: Readiness): string {
  switch (r.kind) {
    case 'spawned':
      return 'the process to start';
    case 'http':
      return `an HTTP answer from ${r.url}`;
    case 'log':
      return `a log line matching /${r.pattern.source}/`;
    case 'handshake':
      return 'a successful MCP handshake';
  }
}

async function waitReady(r: Readiness, logSeen: Promise<void>, signal: AbortSignal): Promise<void> {
  switch (r.kind) {
    case 'spawned':
      return;
    case 'log':
      return logSeen;
    case 'http':
      return poll(signal, async () => {
        const res = await fetch(r.url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) });
        await res.body?.cancel();
      });
    case 'handshake':
      return poll(signal, () => r.probe(signal));
  }
}

/** Retry `attempt` with backoff (25 ms doubling to 500 ms) until it resolves or `signal` aborts. */
async function poll(signal: AbortSignal, attempt: () => Promise<void>): Promise<void> {
  let delay = 25;
  while (!signal.aborted) {
    try {
      await attempt();
      return;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
  // Aborted: the race in launch() has already settled.
  return new Promise(() => {});
}

/** A port that was free a moment ago: listen on 127.0.0.1:0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not read the port of a free socket'))));
    });
  });
}
