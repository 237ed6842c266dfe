import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../harness/target/launch.js';
import { BIN, ROOT } from '../../helpers/cli.js';

/** Child processes the Prometheus end-to-end test starts: reference gateways and the probe daemon. */
export interface Child {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

function own(child: ChildProcess): { log: () => string; stop: () => Promise<void> } {
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    log: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

async function until(
  what: string,
  ok: () => Promise<boolean>,
  log: () => string,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not ready within ${ms} ms:\n${log()}`);
}

/** The reference gateway (compiled) in front of the servers of an mcpServers file. */
export async function startReferenceGateway(mcpServersFile: string): Promise<Child> {
  const port = await freePort();
  const main = join(ROOT, 'dist/mocks/patterns/gateway/main.js');
  const child = spawn(
    process.execPath,
    [main, '--config', mcpServersFile, '--port', String(port), '--timeout-ms', '4000'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const c = own(child);
  try {
    await until('reference gateway', async () => c.log().includes('gateway listening on http://'), c.log);
  } catch (e) {
    await c.stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}/mcp`, ...c };
}

/** `mcp-harness probe --config FILE --listen 127.0.0.1:PORT`, ready when /healthz answers. */
export async function startProbeDaemon(configFile: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BIN, 'probe', '--config', configFile, '--listen', `127.0.0.1:${port}`],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const c = own(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    await until('probe daemon', async () => (await fetch(`${url}/healthz`)).ok, c.log);
  } catch (e) {
    await c.stop();
    throw e;
  }
  return { url, ...c };
}
