import type { Command } from 'commander';
import { HarnessError } from '../../errors.js';
import type { FleetSpec } from '../../schema/fleet.js';
import { fleetOf, NAMED_FLEETS } from '../named-fleet.js';

interface MockOptions {
  fleet: string;
  server?: string[];
  stdio?: boolean;
  controlPort?: number;
  mcpServers: string;
  host?: string;
  advertise?: string;
  portBase?: string;
  stdioCommand?: string;
}

export function registerMock(program: Command): void {
  program
    .command('mock')
    .description('run mock servers standalone and print their endpoints')
    .requiredOption(
      '--fleet <file>',
      `fleet file (YAML, JSON, or a TS/JS module), or: ${NAMED_FLEETS.join(', ')}`,
    )
    .option('--server <name...>', 'only these servers (default: all)')
    .option('--stdio', 'serve the one --server over this process stdin/stdout (what a SUT spawns)')
    .option('--control-port <port>', 'port of the control API (default: any free port)', Number)
    .option(
      '--mcp-servers <file>',
      'where to write the mcpServers JSON describing the fleet',
      '.mcp-harness/mcpServers.json',
    )
    .option('--host <addr>', 'listen address of the HTTP/SSE mocks and the control API (e.g. 0.0.0.0)')
    .option('--advertise <host>', 'host name a gateway elsewhere uses to reach them (default: --host)')
    .option('--port-base <n>', 'fixed ports: the control API on N, server i on N+1+i')
    .option(
      '--stdio-command <cmd>',
      'how the mcpServers file starts stdio mocks (default with --host/--port-base: "npx mcp-harness")',
    )
    .action(async (opts: MockOptions) => {
      const spec = await fleetOf(opts.fleet);
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

async function runStandalone(spec: FleetSpec, opts: MockOptions, names: string[]) {
  const { createFleet } = await import('../../../mocks/server/fleet.js');
  const { mockPlacementOf } = await import('../../init/mock-placement.js');
  const placement = mockPlacementOf(opts);
  const named = NAMED_FLEETS.includes(opts.fleet);
  const fleet = createFleet(spec, {
    only: names.length ? names : undefined,
    controlPort: opts.controlPort,
    ...(named ? { fleetRef: opts.fleet } : { fleetFile: opts.fleet }),
    ...placement,
  });
  const endpoints = await fleet.start();
  const file = await fleet.writeMcpServersFile(opts.mcpServers);
  const entries = fleet.mcpServers().mcpServers;
  const out = process.stdout;
  for (const ep of endpoints) {
    const entry = entries[ep.name];
    const where = entry && 'url' in entry ? entry.url : `stdio: spawn it from ${file}`;
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
