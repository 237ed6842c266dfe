import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import type { GatewayAnswers } from '../../init/gateway-answers.js';

interface InitFlags {
  name?: string;
  cmd?: string;
  url?: string;
  transport?: string;
  naming?: string;
  ready?: string;
  out?: string;
  yes?: boolean;
}

export function registerInit(program: Command, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a target file for your gateway (asks on a terminal, or takes flags) and prove it')
    .option('--name <name>', 'label for reports')
    .option('--cmd <command>', 'command that starts the gateway, with {mcpServersFile} and {port}')
    .option('--url <url>', 'URL of a running gateway (with --cmd: the URL it serves once started)')
    .option('--transport <t>', 'http (default), sse or stdio')
    .option(
      '--naming <rule>',
      'origin, identity, prefix or prefix:SEP (default: detect it by starting the gateway once)',
    )
    .option('--ready <signal>', 'with --cmd: handshake (default), log:REGEX or http:URL')
    .option('--out <file>', 'where to write the target file', 'gateway.target.yaml')
    .option('--yes', 'ask nothing; replace the file if it exists')
    .action(async (flags: InitFlags) => {
      const { initTarget } = await import('../../init/init.js');
      const { out, yes, ...given } = flags;
      let answers: GatewayAnswers & { out?: string } = { ...given, out };
      if (process.stdin.isTTY && !yes) {
        const { askAnswers } = await import('../../init/ask.js');
        answers = await askAnswers({ ...given }, { input: process.stdin, output: process.stderr });
      }
      const { out: file, ...rest } = answers;
      const r = await initTarget({ answers: rest, out: file, overwrite: yes === true });
      const w = (s: string) => process.stdout.write(`${s}\n`);
      w(`target file written: ${r.file}`);
      if (r.detected) w(`naming detected: ${r.detected.evidence}`);
      if (r.detectError) w(`naming not detected (${r.detectError}); the file says origin`);
      const run = r.proof;
      for (const c of run?.results ?? []) {
        w(
          `${c.status === 'pass' ? '✓' : '✗'} ${c.id}  ${c.status}${c.status === 'pass' ? '' : `: ${c.reason ?? c.observed}`}`,
        );
      }
      if (run?.error) process.stderr.write(`${run.error.message}\n`);
      w(`next: ${r.next}`);
      const passed = run?.results.every((c) => c.status === 'pass') ?? true;
      setExit(run?.error ? EXIT.unreachable : passed ? EXIT.ok : EXIT.failed);
    });
}
