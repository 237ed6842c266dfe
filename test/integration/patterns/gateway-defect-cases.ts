import type { CallToolResult, Client, Tool } from '@modelcontextprotocol/client';
import { nowUs } from '../../../harness/measure/clock.js';
import type { DefectName } from '../../../mocks/patterns/gateway/defects.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import type { MockHandle } from '../../../mocks/server/handle.js';
import type { GatewayHandle } from './gateway-setup.js';
import { textOf } from './gateway-setup.js';

/**
 * One probe per defect, run against a correct gateway and a defective one
 * (gateway-defects.test.ts). Catalogue, results, errors and pass-through
 * here; resilience, notifications, sessions and HTTP in gateway-defect-runtime.ts.
 */

export interface ProbeContext {
  fleet: Fleet;
  mock(name: string): MockHandle;
  g: GatewayHandle;
  /** The probe's upstream client (connected on first use). */
  client(): Promise<Client>;
}
export type Probe = (ctx: ProbeContext) => Promise<unknown>;
type Hook = (ctx: Pick<ProbeContext, 'fleet' | 'mock'>) => Promise<unknown>;

export interface DefectCase {
  defect: DefectName;
  /** What the probe shows. */
  shows: string;
  before?: Hook;
  after?: Hook;
  probe: Probe;
  correct: unknown;
  defective: unknown;
}

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A call's outcome as plain data: `{text}`, `{isError, text}` or `{code}`. */
export async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    const r = (await p) as CallToolResult;
    return r.isError ? { isError: true, text: textOf(r) } : { text: textOf(r) };
  } catch (e) {
    return { code: (e as { code?: number }).code };
  }
}

export async function tools(ctx: ProbeContext): Promise<Tool[]> {
  return (await (await ctx.client()).listTools()).tools;
}

export const call = async (ctx: ProbeContext, name: string, args: Record<string, unknown> = {}) =>
  (await ctx.client()).callTool({ name, arguments: args });

const byOrigin = (list: Tool[], origin: string) =>
  list.find((t) => t.description?.includes(`[origin:${origin}]`));

/** The message of the error a call fails with. */
async function errorMessage(ctx: ProbeContext): Promise<string> {
  try {
    await call(ctx, 'issues__get', { id: 1 });
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
const protocolFault: Hook = (ctx) =>
  ctx
    .mock('issues')
    .addFault({ id: 'pe', type: 'protocol-error', tools: ['get'], code: -32050, message: 'nope' });
const removeProtocolFault: Hook = (ctx) => ctx.mock('issues').removeFault('pe');

/** The last tools/call the mock received for `tool` since `sinceUs`. */
async function received(ctx: ProbeContext, tool: string, sinceUs: number) {
  return (await ctx.mock('search').calls({ tool, since: sinceUs })).at(-1);
}

export const CATALOGUE_CASES: DefectCase[] = [
  {
    defect: 'tool-lost',
    shows: 'one tool is missing from tools/list',
    probe: async (ctx) => (await tools(ctx)).length,
    correct: 8,
    defective: 7,
  },
  {
    defect: 'duplicate-names',
    shows: "two servers' 'query' are both listed under the bare name",
    probe: async (ctx) => (await tools(ctx)).filter((t) => t.name === 'query').length,
    correct: 0,
    defective: 2,
  },
  {
    defect: 'shadowing',
    shows: "the later server's 'query' answers for the name",
    probe: (ctx) => outcome(call(ctx, 'query', { q: 'x' })),
    correct: { code: -32602 },
    defective: { text: 'issues for x' },
  },
  {
    defect: 'invalid-names',
    shows: 'exposed names leave [A-Za-z0-9_.-]',
    probe: async (ctx) => (await tools(ctx)).every((t) => /^[A-Za-z0-9_.-]+$/.test(t.name)),
    correct: true,
    defective: false,
  },
  {
    defect: 'schema-stripped',
    shows: 'the inputSchema is replaced by an empty one',
    probe: async (ctx) => byOrigin(await tools(ctx), 'search/query')?.inputSchema,
    correct: { type: 'object', properties: { q: { type: 'string' } } },
    defective: { type: 'object' },
  },
  {
    defect: 'annotations-dropped',
    shows: 'annotations are gone',
    probe: async (ctx) => byOrigin(await tools(ctx), 'search/query')?.annotations,
    correct: { readOnlyHint: true },
    defective: undefined,
  },
  {
    defect: 'no-pagination',
    shows: "only the first page of a server's tools is listed",
    probe: async (ctx) => (await tools(ctx)).filter((t) => t.description?.includes('[origin:search/')).length,
    correct: 5,
    defective: 2,
  },
  {
    defect: 'bad-cursor-accepted',
    shows: 'a made-up cursor returns the first page instead of -32602',
    probe: async (ctx) => {
      try {
        const r = await (await ctx.client()).request({ method: 'tools/list', params: { cursor: 'bogus' } });
        return { tools: r.tools.length };
      } catch (e) {
        return { code: (e as { code?: number }).code };
      }
    },
    correct: { code: -32602 },
    defective: { tools: 3 },
  },
  {
    defect: 'iserror-to-success',
    shows: 'an isError result arrives as a success',
    probe: (ctx) => outcome(call(ctx, 'search__fail')),
    correct: { isError: true, text: 'boom' },
    defective: { text: 'boom' },
  },
  {
    defect: 'iserror-to-jsonrpc',
    shows: 'an isError result arrives as a JSON-RPC error',
    probe: (ctx) => outcome(call(ctx, 'search__fail')),
    correct: { isError: true, text: 'boom' },
    defective: { code: -32603 },
  },
  {
    defect: 'jsonrpc-error-flattened',
    shows: "the downstream's error code becomes -32603",
    before: protocolFault,
    after: removeProtocolFault,
    probe: (ctx) => outcome(call(ctx, 'issues__get', { id: 1 })),
    correct: { code: -32050 },
    defective: { code: -32603 },
  },
  {
    defect: 'unknown-tool-iserror',
    shows: 'an unknown tool is an isError result, not -32602',
    probe: (ctx) => outcome(call(ctx, 'search__nope')),
    correct: { code: -32602 },
    defective: { isError: true, text: 'Unknown tool: search__nope' },
  },
  {
    defect: 'leak-internals',
    shows: 'the error message carries a stack trace',
    before: protocolFault,
    after: removeProtocolFault,
    probe: async (ctx) => /\n\s+at .*[/\\]/.test(await errorMessage(ctx)),
    correct: false,
    defective: true,
  },
  {
    defect: 'leak-js-error',
    shows: 'the error message carries a JavaScript engine error text',
    before: protocolFault,
    after: removeProtocolFault,
    probe: async (ctx) => /Cannot read properties of undefined/.test(await errorMessage(ctx)),
    correct: false,
    defective: true,
  },
  {
    defect: 'anonymous-errors',
    shows: 'the error message no longer names server and tool',
    before: protocolFault,
    after: removeProtocolFault,
    probe: async (ctx) => (await errorMessage(ctx)).includes('issues/get'),
    correct: true,
    defective: false,
  },
  {
    defect: 'no-trace',
    shows: 'traceparent does not reach the downstream',
    probe: async (ctx) => {
      const since = nowUs();
      await (await ctx.client()).callTool({
        name: 'search__echo',
        arguments: {},
        _meta: { traceparent: TRACEPARENT },
      });
      return (await received(ctx, 'echo', since))?.traceparent;
    },
    correct: TRACEPARENT,
    defective: undefined,
  },
  {
    defect: 'args-mutated',
    shows: 'the downstream receives altered arguments',
    probe: async (ctx) => {
      const since = nowUs();
      await call(ctx, 'search__echo', { a: 1 });
      return (await received(ctx, 'echo', since))?.arguments;
    },
    correct: { a: 1 },
    defective: { a: 1, _gateway: true },
  },
  {
    defect: 'auth-forwarded',
    shows: "the upstream client's Authorization header reaches the downstream",
    probe: async (ctx) => {
      const c = await ctx.g.connect(undefined, { Authorization: 'Bearer s3cret' });
      const since = nowUs();
      await c.callTool({ name: 'search__echo', arguments: {} });
      return (await received(ctx, 'echo', since))?.headers?.authorization;
    },
    correct: undefined,
    defective: 'Bearer s3cret',
  },
  {
    defect: 'resources-unrouted',
    shows: 'a resource of the second server cannot be read',
    probe: async (ctx) => {
      try {
        const r = await (await ctx.client()).readResource({ uri: 'issues://labels' });
        return (r.contents[0] as { text?: string }).text;
      } catch {
        return 'error';
      }
    },
    correct: '["bug"]',
    defective: 'error',
  },
  {
    defect: 'prompts-unrouted',
    shows: 'a namespaced prompt cannot be got',
    probe: async (ctx) => {
      try {
        const r = await (await ctx.client()).getPrompt({ name: 'issues__triage' });
        return r.messages[0]?.content;
      } catch (e) {
        return { code: (e as { code?: number }).code };
      }
    },
    correct: { type: 'text', text: 'Triage it' },
    defective: { code: -32602 },
  },
];
