import { z } from 'zod';
import type { Problem } from '../errors.js';
import {
  type NamingSpec,
  type ReadySpec,
  type TargetInput,
  type TargetSpec,
  TargetSpecSchema,
} from '../schema/target.js';
import { flagProblems, throwFlagProblems } from './flags.js';
import { splitCommand } from './split-command.js';

/**
 * What a gateway owner says about a gateway, as `init` asks it and as the
 * quick flags of `check` take it: a command that starts it (with
 * `{mcpServersFile}` and `{port}`) or the URL it already serves, its
 * transport, how it names tools, and when it is ready. One builder turns the
 * answers into a target, validated by the target schema itself.
 */
export const GatewayAnswersSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** A running gateway's URL; with `cmd`, the URL the started gateway serves (may use `{port}`). */
    url: z.string().min(1).optional(),
    /** The command line that starts the gateway. */
    cmd: z.string().min(1).optional(),
    /** `http` (default) | `sse` | `stdio`: checked with the other answers, so every problem is listed at once. */
    transport: z.string().min(1).optional(),
    /** `origin` | `identity` | `prefix` | `prefix:SEPARATOR`. */
    naming: z.string().min(1).optional(),
    /** `handshake` | `log:REGEX` | `http:URL`. */
    ready: z.string().min(1).optional(),
  })
  .strict();
export type GatewayAnswers = z.infer<typeof GatewayAnswersSchema>;

const TRANSPORTS = ['http', 'sse', 'stdio'] as const;

/** The flag each answer came from, for problems (`check` says --gateway-cmd, `init` says --cmd). */
export type AnswerFlags = Record<keyof GatewayAnswers, string>;

export const CHECK_FLAGS: AnswerFlags = {
  name: '--name',
  url: '--url',
  cmd: '--gateway-cmd',
  transport: '--transport',
  naming: '--naming',
  ready: '--ready',
};

/** Parse `--naming`; undefined when absent, a string problem when invalid. */
export function parseNaming(text: string | undefined): NamingSpec | string | undefined {
  if (text === undefined) return undefined;
  if (text === 'origin' || text === 'identity') return { mode: text };
  if (text === 'prefix') return { mode: 'prefix', prefix: '{server}', separator: '__' };
  if (text.startsWith('prefix:') && text.length > 'prefix:'.length)
    return { mode: 'prefix', prefix: '{server}', separator: text.slice('prefix:'.length) };
  return `expected origin, identity, prefix or prefix:SEPARATOR (e.g. prefix:__), got '${text}'`;
}

/** Parse `--ready`; undefined when absent, a string problem when invalid. */
export function parseReady(text: string | undefined): ReadySpec | string | undefined {
  if (text === undefined) return undefined;
  if (text === 'handshake') return { handshake: true };
  if (text.startsWith('log:') && text.length > 4) return { log: text.slice(4) };
  if (text.startsWith('http:') && /^http:https?:\/\//.test(text)) return { http: text.slice(5) };
  return `expected handshake, log:REGEX or http:URL, got '${text}'`;
}

/** The target the answers describe (not yet validated) and the problems found on the way. */
export function targetInputOf(
  a: GatewayAnswers,
  flags: AnswerFlags,
): { input: TargetInput; problems: Problem[] } {
  const problems: Problem[] = [];
  const naming = parseNaming(a.naming);
  if (typeof naming === 'string') problems.push({ path: flags.naming, message: naming });
  const ready = parseReady(a.ready);
  if (typeof ready === 'string') problems.push({ path: flags.ready, message: ready });
  const known = TRANSPORTS.includes((a.transport ?? 'http') as (typeof TRANSPORTS)[number]);
  // An unknown transport is reported once, here; the target is built as http so nothing else trips on it.
  const transport = known ? (a.transport ?? 'http') : 'http';
  if (!known)
    problems.push({
      path: flags.transport,
      message: `expected one of "http", "sse", "stdio", got '${a.transport}'`,
    });
  const input: Record<string, unknown> = { name: a.name, pattern: 'gateway' };
  if (typeof naming === 'object') input.naming = naming;

  if (a.cmd === undefined && a.url === undefined) {
    problems.push({
      path: `${flags.url} / ${flags.cmd}`,
      message: `expected ${flags.url} URL (a running gateway) or ${flags.cmd} COMMAND (the harness starts it)`,
    });
  }
  if (a.cmd === undefined) {
    if (transport === 'stdio')
      problems.push({ path: flags.transport, message: `stdio needs ${flags.cmd} COMMAND` });
    if (a.ready !== undefined)
      problems.push({
        path: flags.ready,
        message: `only with ${flags.cmd}: the harness does not start a gateway at a URL`,
      });
    if (a.url !== undefined) input.endpoint = { transport, url: a.url };
    return { input: input as TargetInput, problems };
  }

  const { words, problem } = splitCommand(a.cmd);
  if (problem) problems.push({ path: flags.cmd, message: problem });
  const [command = '', ...args] = words;
  if (words.length === 0 && !problem)
    problems.push({ path: flags.cmd, message: 'expected a command, got an empty string' });
  if (!a.cmd.includes('{mcpServersFile}'))
    problems.push({
      path: flags.cmd,
      message: 'expected {mcpServersFile} in the command: where the gateway reads the fleet it fronts',
    });
  if (transport === 'stdio') {
    if (a.url !== undefined)
      problems.push({ path: flags.url, message: 'a stdio gateway has no URL: leave it out' });
    if (a.ready !== undefined)
      problems.push({
        path: flags.ready,
        message: 'a stdio gateway is ready when it answers initialize: leave it out',
      });
    input.endpoint = { transport: 'stdio', command, args };
    return { input: input as TargetInput, problems };
  }
  const url = a.url ?? `http://127.0.0.1:{port}${transport === 'sse' ? '/sse' : '/mcp'}`;
  if (a.url === undefined && !a.cmd.includes('{port}'))
    problems.push({
      path: flags.cmd,
      message: `expected {port} in the command (the port the gateway listens on), or give ${flags.url} with the address it serves`,
    });
  input.endpoint = { transport, url };
  input.launch = { command, args, ...(typeof ready === 'object' ? { ready } : {}) };
  return { input: input as TargetInput, problems };
}

/** Where a target-schema problem came from, by flag. */
function schemaFlags(flags: AnswerFlags): Record<string, string> {
  return {
    name: flags.name,
    'endpoint.url': flags.url,
    endpoint: flags.url,
    launch: flags.cmd,
    'launch.ready': flags.ready,
    naming: flags.naming,
  };
}

/** The validated target the answers describe; INVALID_ARGS listing every problem (flag problems and schema problems). */
export function targetOfAnswers(
  command: string,
  a: GatewayAnswers,
  flags: AnswerFlags,
  earlier: readonly Problem[] = [],
): TargetSpec {
  const { input, problems } = targetInputOf(a, flags);
  const parsed = TargetSpecSchema.safeParse(input);
  const all = [...earlier, ...problems];
  if (!parsed.success) {
    for (const p of flagProblems(parsed.error, schemaFlags(flags))) {
      if (!all.some((q) => q.path === p.path)) all.push(p);
    }
  }
  throwFlagProblems(command, all);
  return (parsed as { data: TargetSpec }).data;
}
