import { Command, CommanderError, Option } from 'commander';
import { EXIT, HarnessError, isHarnessError } from '../../../harness/errors.js';
import { defectsTable } from './defects.js';
import { type RunningGateway, startGateway } from './index.js';
import type { GatewaySettingsInput } from './settings.js';

/**
 * The reference gateway as a process:
 *   node dist/mocks/patterns/gateway/main.js --config mcpServers.json [--transport http|stdio]
 *        [--port N] [--defect NAME]… [--prefix T] [--separator S] [--timeout-ms N]
 * stdout is reserved for MCP (stdio); diagnostics go to stderr. On HTTP the
 * readiness line is `gateway listening on http://127.0.0.1:PORT/mcp`.
 */

interface Flags {
  config?: string;
  transport: 'http' | 'stdio';
  port: string;
  host: string;
  defect: string[];
  prefix?: string;
  separator?: string;
  timeoutMs?: string;
  pageSize?: string;
  allowedOrigin: string[];
  allowedHost: string[];
  listDefects?: boolean;
  quiet?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];
/** A number when the flag is one; the raw text otherwise, so validation names the flag's field. */
const num = (v: string | undefined) =>
  v === undefined ? undefined : Number.isFinite(Number(v)) ? Number(v) : v;

async function main(argv: string[]): Promise<number> {
  const program = new Command('mcp-harness-gateway')
    .description('reference MCP gateway (aggregator) with --defect switches')
    .option('--config <file>', 'mcpServers JSON/YAML file (an optional "gateway" key holds settings)')
    .addOption(
      new Option('--transport <kind>', 'upstream transport').choices(['http', 'stdio']).default('http'),
    )
    .option('--port <n>', 'HTTP port (0 = any free port)', '0')
    .option('--host <address>', 'HTTP bind address', '127.0.0.1')
    .option('--defect <name>', 'turn a defect on (repeatable; see --list-defects)', collect, [])
    .option('--prefix <template>', 'exposed-name prefix template, e.g. {server}')
    .option('--separator <s>', 'between prefix and tool name (default __)')
    .option('--timeout-ms <n>', 'per-call timeout (default 10000)')
    .option('--page-size <n>', 'page size of the lists the gateway serves (default 50)')
    .option('--allowed-origin <origin>', 'accept this Origin on HTTP (repeatable; * = any)', collect, [])
    .option(
      '--allowed-host <name>',
      'accept this Host header name on HTTP (repeatable; * = any)',
      collect,
      [],
    )
    .option('--list-defects', 'print the defect registry as a Markdown table and exit')
    .option('--quiet', 'no diagnostics on stderr (the readiness line is still printed)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stderr.write(s) });
  let flags: Flags;
  try {
    flags = program.parse(argv, { from: 'user' }).opts<Flags>();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    throw e;
  }
  if (flags.listDefects) {
    process.stdout.write(`${defectsTable()}\n`);
    return EXIT.ok;
  }
  if (!flags.config) {
    throw new HarnessError('INVALID_ARGS', 'missing --config', {
      problems: [{ path: '--config', message: 'expected the path of an mcpServers file' }],
    });
  }
  const settings: Partial<GatewaySettingsInput> = {
    prefix: flags.prefix,
    separator: flags.separator,
    timeoutMs: num(flags.timeoutMs) as number | undefined,
    pageSize: num(flags.pageSize) as number | undefined,
    ...(flags.allowedOrigin.length > 0 ? { allowedOrigins: flags.allowedOrigin } : {}),
    ...(flags.allowedHost.length > 0 ? { allowedHosts: flags.allowedHost } : {}),
  };
  let gateway: RunningGateway | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code), 5000);
    force.unref();
    await gateway?.close().catch(() => {});
    process.exit(code);
  };
  gateway = await startGateway({
    mcpServers: flags.config,
    transport: flags.transport,
    port: Number(flags.port),
    host: flags.host,
    defects: flags.defect,
    settings,
    ...(flags.quiet ? { log: () => {} } : {}),
    // A fatal defect is a crash: no cleanup beyond what the process-group hooks do.
    onFatal: () => process.exit(1),
    onSessionEnd: () => void shutdown(EXIT.ok),
  });
  // `on`, not `once`: the process-group exit hook re-raises a signal nobody else listens to.
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => void shutdown(EXIT.ok));
  if (gateway.url) process.stderr.write(`gateway listening on ${gateway.url}\n`);
  return -1; // keep running
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (e) {
  if (isHarnessError(e)) {
    process.stderr.write(`${e.render()}\n`);
    process.exit(e.exitCode);
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE' || err?.code === 'EACCES') {
    process.stderr.write(`error: cannot listen: ${err.message}\n`);
    process.exit(EXIT.unreachable);
  }
  process.stderr.write(`${new HarnessError('INTERNAL', err?.stack ?? String(e)).render()}\n`);
  process.exit(EXIT.internal);
}
