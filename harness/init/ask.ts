import { createInterface } from 'node:readline/promises';
import type { GatewayAnswers } from './gateway-answers.js';
import { DEFAULT_TARGET_FILE } from './init.js';

/**
 * The questions `init` asks on a terminal, only for what the flags left
 * open. An empty answer takes the default shown in brackets; for the naming
 * it means "detect it by starting the gateway once". Answers are checked
 * afterwards with the flags' rules (every problem at once).
 */
export interface AskIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export async function askAnswers(
  given: GatewayAnswers & { out?: string },
  io: AskIo,
): Promise<GatewayAnswers & { out?: string }> {
  const rl = createInterface({ input: io.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string, fallback = ''): Promise<string> => {
    io.output.write(`${question}${fallback ? ` [${fallback}]` : ''}: `);
    const next = await lines.next();
    const text = next.done ? '' : String(next.value).trim();
    return text || fallback;
  };
  const optional = (s: string) => (s === '' ? undefined : s);
  try {
    const a = { ...given };
    a.name ??= await ask('Gateway name (a label for reports)', 'my-gateway');
    if (a.cmd === undefined && a.url === undefined) {
      io.output.write(
        'How does the gateway start? Give the command that starts it, with {mcpServersFile} where it reads\n' +
          'its servers and {port} where it listens; or the URL of a gateway that is already running.\n',
      );
      const how = await ask('Command or URL');
      if (/^https?:\/\//i.test(how)) a.url = how;
      else if (how) a.cmd = how;
    }
    a.transport ??= await ask('Transport: http, sse or stdio', 'http');
    if (a.cmd !== undefined && a.transport !== 'stdio' && a.url === undefined) {
      a.url = optional(await ask('URL it serves once started (Enter: the default)', ''));
    }
    if (a.naming === undefined) {
      a.naming = optional(
        await ask(
          'Tool naming: prefix, prefix:SEPARATOR, identity, origin (Enter: detect it by starting it once)',
        ),
      );
    }
    if (a.cmd !== undefined && a.transport !== 'stdio' && a.ready === undefined) {
      a.ready = optional(await ask('Ready when: handshake, log:REGEX or http:URL (Enter: handshake)'));
    }
    a.out ??= await ask('Write the target file to', DEFAULT_TARGET_FILE);
    return a;
  } finally {
    rl.close();
  }
}
