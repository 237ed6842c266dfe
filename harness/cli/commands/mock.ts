import type { Command } from 'commander';
import { loadFleet } from '../../config/fleet-file.js';
import { HarnessError } from '../../errors.js';

interface MockOptions {
  fleet: string;
  server?: string[];
  stdio?: boolean;
  controlPort?: number;
  mcpServers: string;
}

export function registerMock(program: Command): void {
  program
    .command('mock')
    .description('run mock servers standalone and print their endpoints')
    .requiredOption('--fleet <file>', 'fleet file (YAML, JSON, or a TS/JS module)')
    .option('--server <name...>', 'only these servers (default: all)')
    .option('--stdio', 'serve the one --server over this process stdin/stdout (what a SUT spawns)')
    .option('--control-port <port>', 'port of the control API (default: any free port)', Number)
    .option(
      '--mcp-servers <file>',
      'where to write the mcpServers JSON describing the fleet',
      '.mcp-harness/mcpServers.json',
    )
    .action(async (opts: MockOptions) => {
      const spec = await loadFleet(opts.fleet);
      const names = opts.server ?? [];
      const unknown = names.filter((n) => !spec.servers.some((s) => s.name === n));
      if (unknown.length) {
        throw new HarnessError('UNKNOWN_SERVER', `no server named ${unknown.join(', ')} in ${opts.fleet}`, {
          problems: unknown.map((n) => ({
            path: '--server',
            message: `'${n}' is not one of ${spec.servers.map((s) => s.name).join(', ')}`,
          })),
        });
      }
      if (opts.stdio) {
        if (names.length !== 1) {
          throw new HarnessError('INVALID_ARGS', '--stdio serves exactly one server: give --server NAME');
        }
        // stdout belongs to the protocol from here on.
        const { runStdioMock } = await import('../../../mocks/transports/stdio.js');
        await runStdioMock(spec.servers.find((s) => s.name === names[0])!, spec.seed);
        return;
      }
      await runStandalone(spec, opts, names);
    });
}

async function runStandalone(
  spec: Awaited<ReturnType<typeof loadFleet>>,
  opts: MockOptions,
  names: string[],
) {
  const { createFleet } = await import('../../../mocks/server/fleet.js');
  const fleet = createFleet(spec, {
    only: names.length ? names : undefined,
    controlPort: opts.controlPort,
    fleetFile: opts.fleet,
  });
  const endpoints = await fleet.start();
  const file = await fleet.writeMcpServersFile(opts.mcpServers);
  const out = process.stdout;
  for (const ep of endpoints) {
    const where = ep.url ?? `stdio: spawn it from ${file}`;
    out.write(`mock ${ep.name.padEnd(16)} ${ep.transport.padEnd(5)} ${where}\n`);
  }
  out.write(`control API          ${fleet.controlUrl}\n`);
  out.write(`mcpServers file      ${file}\n`);
  out.write('ready — Ctrl-C to stop\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await fleet.stop();
}
