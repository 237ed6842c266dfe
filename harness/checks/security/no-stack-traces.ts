import { ProtocolError } from '@modelcontextprotocol/client';
import { clip } from '../../runner/outcome.js';
import { describeError } from '../../target/connect.js';
import type { CheckContext } from '../context.js';
import { describeLeak, firstLeak } from '../internals.js';
import { resolveTools } from '../needs.js';
import { blocked, check, fail, pass, skip } from '../types.js';

interface Probe {
  label: string;
  /** The logical tool the probe calls, when it calls one of the fleet's. */
  tool?: string;
  /** Set up a fault (undone after the check by the runner). */
  arrange?: (ctx: CheckContext) => Promise<unknown>;
  request: (name: string) => { method: string; params: Record<string, unknown> };
}

const call =
  (args: Record<string, unknown> = {}) =>
  (name: string) => ({ method: 'tools/call', params: { name, arguments: args } });

/** Failing downstreams and bad requests: each error an upstream client can provoke. */
const PROBES: Probe[] = [
  { label: 'isError result (alpha.fail)', tool: 'alpha.fail', request: call() },
  { label: 'downstream JSON-RPC error (alpha.rpc_error)', tool: 'alpha.rpc_error', request: call() },
  {
    label: 'downstream HTTP 500 (alpha.slow)',
    tool: 'alpha.slow',
    arrange: (ctx) => ctx.mock('alpha').addFault({ type: 'http-status', tools: ['slow'], status: 500 }),
    request: call(),
  },
  {
    label: 'downstream handler exception (alpha.log)',
    tool: 'alpha.log',
    arrange: (ctx) =>
      ctx.mock('alpha').addFault({ type: 'throw', tools: ['log'], message: 'alpha/log exploded' }),
    request: call(),
  },
  {
    label: 'unknown tool',
    request: () => call()('no_such_tool__mcp_harness'),
  },
  {
    label: 'malformed params (arguments not an object)',
    tool: 'alpha.echo',
    request: (name) => ({ method: 'tools/call', params: { name, arguments: 'not-an-object' } }),
  },
];

/**
 * Error messages and isError texts the SUT sends carry no internals: stack
 * frames, absolute paths, runtime error texts (a JavaScript TypeError, a
 * Python traceback, a Go panic). Those tell an attacker the code layout,
 * runtime and versions, and belong in the SUT's own logs. Every probe is
 * tried: one the SUT keeps from running (its tool not exposed) blocks the
 * check, unless another probe already shows a leak.
 */
export const noStackTraces = check({
  id: 'security.no-stack-traces',
  title: 'errors carry no stack traces, absolute paths or runtime error texts',
  suite: 'security',
  specRef:
    'MCP 2025-11-25 server/tools §Security Considerations (sanitize tool outputs); CWE-209 (information exposure through an error message)',
  severity: 'should',
  expected:
    'isError texts, JSON-RPC errors from failing downstreams, and the errors for an unknown tool and malformed params contain no stack frame, absolute path or runtime error text (JavaScript TypeError/ReferenceError, Python traceback, Go panic, Java/.NET exception)',
  async run(ctx) {
    const client = ctx.session?.connection.client;
    if (!client) return skip('no single endpoint');
    const tried: string[] = [];
    const untried: string[] = [];
    const answers: Record<string, string> = {};
    for (const probe of PROBES) {
      let name = '';
      if (probe.tool) {
        const r = await resolveTools(ctx, [probe.tool]);
        if (!r.names) {
          if (r.verdict.status === 'skip') return skip(r.verdict.reason);
          untried.push(`${probe.label} (${r.missing})`);
          continue;
        }
        name = r.names[0] as string;
      }
      await probe.arrange?.(ctx);
      const answer = await client.request(probe.request(name) as never, { timeout: ctx.timeoutMs }).then(
        (result) => ({ error: false, text: JSON.stringify(result) }),
        (e: unknown) => ({ error: true, text: errorText(e) }),
      );
      const leak = firstLeak(answer.text);
      if (leak)
        return fail(`${probe.label}: the answer shows ${describeLeak(leak)}`, {
          answer: answer.text.slice(0, 2000),
          ...(untried.length > 0 ? { untried } : {}),
        });
      const isError = answer.error || /"isError":true/.test(answer.text);
      tried.push(isError ? probe.label : `${probe.label} (answered without an error)`);
      answers[probe.label] = clip(answer.text, 300);
    }
    if (untried.length > 0)
      return blocked(
        `not every error path could be tried: ${untried.join('; ')} (no internals in the ${tried.length} tried: ${tried.join('; ')})`,
        'gateway.tools-exposed-once',
      );
    return pass(`no internals in the answers to all ${tried.length} probes: ${tried.join('; ')}`, {
      answers,
    });
  },
});

/** Everything an error shows the client: message and data (every string in it). */
function errorText(e: unknown): string {
  // The message on a line of its own: a runtime's text is judged where it starts.
  if (e instanceof ProtocolError) return [`${e.code}`, e.message, ...strings(e.data)].join('\n');
  return describeError(e);
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}
