import { Command, CommanderError, Option } from 'commander';
import { EXIT, HarnessError, isHarnessError } from '../../../harness/errors.js';
import { CHAIN_DEFECTS } from './defects.js';
import { type ChainHandle, startChain } from './index.js';

/**
 * Run the reference chain server:
 *   node dist/mocks/patterns/chain/main.js --servers mcpServers.json --chain chain.yaml
 *        [--transport http|stdio] [--port N] [--defect NAME]…
 * stdout carries only MCP (stdio); everything else goes to stderr.
 */
async function main(argv: string[]): Promise<number> {
  const defectHelp = Object.entries(CHAIN_DEFECTS)
    .map(([name, what]) => `  ${name}: ${what}`)
    .join('\n');
  const program = new Command('chain')
    .description('reference MCP chain server: composite tools that call downstream MCP servers')
    .requiredOption('--servers <file>', 'mcpServers JSON file of the downstream servers')
    .requiredOption('--chain <file>', 'chain definition (YAML or JSON)')
    .addOption(
      new Option('--transport <kind>', 'upstream transport').choices(['http', 'stdio']).default('http'),
    )
    .option('--port <n>', 'HTTP port (0 = any free port)', (v) => parsePort(v), 0)
    .option('--defect <name>', 'enable a defect (repeatable)', (v, all: string[]) => [...all, v], [])
    .addHelpText('after', `\nDefects:\n${defectHelp}`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) });

  let chain: ChainHandle;
  try {
    program.parse(argv, { from: 'user' });
    const o = program.opts<{
      servers: string;
      chain: string;
      transport: 'http' | 'stdio';
      port: number;
      defect: string[];
    }>();
    chain = await startChain({
      mcpServers: o.servers,
      chain: o.chain,
      transport: o.transport,
      port: o.port,
      defects: o.defect,
    });
    if (chain.url) process.stderr.write(`chain listening on ${chain.url}\n`);
    else process.stderr.write('chain serving on stdio\n');
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    const err = isHarnessError(e) ? e : new HarnessError('INTERNAL', (e as Error)?.stack ?? String(e));
    process.stderr.write(`${err.render()}\n`);
    return err.exitCode;
  }

  // Run until told to stop (or, on stdio, until the host closes our stdin); close every downstream first.
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve());
    if (!chain.url) process.stdin.once('end', () => resolve());
  });
  await chain.close();
  return EXIT.ok;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new HarnessError('INVALID_ARGS', `--port ${v}: expected 0-65535`);
  return n;
}

process.exit(await main(process.argv.slice(2)));
