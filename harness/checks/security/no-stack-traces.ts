import { ProtocolError } from '@modelcontextprotocol/client';
import { describeError } from '../../target/connect.js';
import type { CheckContext } from '../context.js';
import { check, fail, pass, skip } from '../types.js';

/** `at fn (file:line:col)`, `at file:line:col`, `at node:internal/…:line:col`. */
const STACK_FRAME =
  /\bat\s+(?:async\s+)?(?:[^\s()]+\s+)?\(?(?:file:\/\/|node:)?[^\s()]*(?:[\\/]|\.[cm]?[jt]sx?:|node:)[^\s()]*:\d+(?::\d+)?\)?/;
/** An absolute POSIX path of two or more segments (or a file:// URL), or a Windows drive path. */
const ABSOLUTE_PATH =
  /(?:^|[\s("'=,[{])(?:file:\/\/)?\/(?:[\w.@+-]+\/)+[\w.@+-]+|\b[A-Za-z]:\\(?:[^\\\s]+\\)+[^\\\s]+/;

/** What gives away the SUT's internals in a text, or undefined. */
export function internalsIn(text: string): string | undefined {
  return text.match(STACK_FRAME)?.[0] ?? text.match(ABSOLUTE_PATH)?.[0]?.trim();
}

interface ErrorPath {
  label: string;
  /** Set up a fault (undone after the check by the runner). */
  arrange?: (ctx: CheckContext) => Promise<unknown>;
  request: (ctx: CheckContext) => { method: string; params: Record<string, unknown> } | undefined;
}

const call =
  (logical: string, args: Record<string, unknown> = {}) =>
  (ctx: CheckContext) => {
    const name = ctx.exposed(logical);
    return name ? { method: 'tools/call', params: { name, arguments: args } } : undefined;
  };

/** Failing downstreams and bad requests: each error an upstream client can provoke. */
const PATHS: ErrorPath[] = [
  { label: 'isError result (alpha.fail)', request: call('alpha.fail') },
  { label: 'downstream JSON-RPC error (alpha.rpc_error)', request: call('alpha.rpc_error') },
  {
    label: 'downstream HTTP 500 (alpha.slow)',
    arrange: (ctx) => ctx.mock('alpha').addFault({ type: 'http-status', tools: ['slow'], status: 500 }),
    request: call('alpha.slow'),
  },
  {
    label: 'downstream handler exception (alpha.log)',
    arrange: (ctx) =>
      ctx.mock('alpha').addFault({ type: 'throw', tools: ['log'], message: 'alpha/log exploded' }),
    request: call('alpha.log'),
  },
  {
    label: 'unknown tool',
    request: () => ({ method: 'tools/call', params: { name: 'no_such_tool__mcp_harness', arguments: {} } }),
  },
  {
    label: 'malformed params (arguments not an object)',
    request: (ctx) => {
      const name = ctx.exposed('alpha.echo');
      return name ? { method: 'tools/call', params: { name, arguments: 'not-an-object' } } : undefined;
    },
  },
];

/**
 * Error messages and isError texts the SUT sends carry no stack frames or
 * absolute file paths: those tell an attacker the code layout, versions and
 * where things live, and belong in the SUT's own logs.
 */
export const noStackTraces = check({
  id: 'security.no-stack-traces',
  title: 'errors carry no stack traces or absolute file paths',
  suite: 'security',
  specRef:
    'MCP 2025-11-25 server/tools §Security Considerations (sanitize tool outputs); CWE-209 (information exposure through an error message)',
  severity: 'should',
  expected:
    'isError texts, JSON-RPC errors from failing downstreams, and the errors for an unknown tool and malformed params contain no stack frame (`at fn (file:line)`) and no absolute path',
  async run(ctx) {
    const client = ctx.session?.connection.client;
    if (!client) return skip('no single endpoint');
    const seen: string[] = [];
    const answers: Record<string, string> = {};
    for (const path of PATHS) {
      const req = path.request(ctx);
      if (!req) {
        seen.push(`${path.label}: not exposed, not tried`);
        continue;
      }
      await path.arrange?.(ctx);
      const text = await client.request(req as never, { timeout: ctx.timeoutMs }).then(
        (result) => JSON.stringify(result),
        (e: unknown) => errorText(e),
      );
      const leak = internalsIn(text);
      if (leak)
        return fail(`${path.label}: the answer shows ${JSON.stringify(leak)}`, {
          answer: text.slice(0, 2000),
        });
      seen.push(path.label);
      answers[path.label] = text.length > 300 ? `${text.slice(0, 299)}…` : text;
    }
    return pass(`no stack frame or absolute path in: ${seen.join('; ')}`, { answers });
  },
});

/** Everything an error shows the client: message and data (every string in it). */
function errorText(e: unknown): string {
  if (e instanceof ProtocolError) return [`${e.code} ${e.message}`, ...strings(e.data)].join('\n');
  return describeError(e);
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}
