import { isDeepStrictEqual } from 'node:util';
import type { Client, Tool } from '@modelcontextprotocol/client';
import { fleetEndpoints } from '../../runner/fleet-endpoints.js';
import { clip } from '../../runner/outcome.js';
import type { ServerSpec } from '../../schema/fleet.js';
import { connectEndpoint } from '../../target/connect.js';
import { buildToolMap, type ToolMap } from '../../target/naming.js';
import type { CheckContext } from '../context.js';
import type { Session } from '../session.js';

/**
 * Shared pieces of the gateway catalogue/routing/results checks: raw list
 * walks (page by page, no client cache), the fleet's own view of a tool
 * (straight from the mock, bypassing the SUT), error capture with code and
 * data, and leak detection.
 */

/** A list that has not ended after this many pages is a cursor loop. */
const MAX_PAGES = 100;

type ListMethod = 'tools/list' | 'resources/list' | 'prompts/list';
const ITEMS = { 'tools/list': 'tools', 'resources/list': 'resources', 'prompts/list': 'prompts' } as const;

export interface Listing<T> {
  items: T[];
  pages: number;
}

/** Every page of a list, following `nextCursor` with raw requests; throws on a cursor loop. */
export async function listAll<T>(
  client: Client,
  method: ListMethod,
  ctx: Pick<CheckContext, 'timeoutMs' | 'signal'>,
): Promise<Listing<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const r = (await client.request(
      { method, params: cursor === undefined ? {} : { cursor } },
      { timeout: ctx.timeoutMs, signal: ctx.signal },
    )) as Record<string, unknown>;
    const page = r[ITEMS[method]];
    if (Array.isArray(page)) items.push(...(page as T[]));
    const next = r.nextCursor;
    if (typeof next !== 'string') return { items, pages };
    if (seen.has(next) || pages >= MAX_PAGES) {
      throw new Error(
        `${method} does not end: cursor ${JSON.stringify(clip(next, 60))} after ${pages} pages`,
      );
    }
    seen.add(next);
    cursor = next;
  }
}

/** `server.tool` of every tool the fleet serves. */
export function fleetToolNames(ctx: CheckContext): string[] {
  return ctx.fleet.spec.servers.flatMap((s) => s.tools.map((t) => `${s.name}.${t.name}`));
}

export interface Catalogue {
  tools: Tool[];
  pages: number;
  /** The exposed tools mapped back to `server.tool` with the target's naming rule. */
  map: ToolMap;
}

/** The SUT's tool list now (all pages), mapped with the target's naming rule against the fleet's tools. */
export async function catalogue(ctx: CheckContext, session: Session): Promise<Catalogue> {
  const { items, pages } = await listAll<Tool>(session.connection.client, 'tools/list', ctx);
  return { tools: items, pages, map: buildToolMap(items, ctx.target.spec.naming, fleetToolNames(ctx)) };
}

/** The exposed name of `server.tool`; the tool map is refreshed once when it does not know the tool. */
export async function exposedTool(ctx: CheckContext, logical: string): Promise<string | undefined> {
  const name = ctx.exposed(logical);
  if (name !== undefined) return name;
  await ctx.target.refreshTools().catch(() => {});
  return ctx.exposed(logical);
}

/**
 * The fleet servers a check compares the SUT against (straight from the mock
 * with `direct`, faults and call logs through the mock's handle): network
 * servers first, then stdio ones (a bridge of one stdio server is checked
 * too), each with the tools of its first page only: a tool a downstream lists
 * on a later page is gateway.pagination-aggregated's business, so no other
 * check depends on the gateway following nextCursor.
 */
export function networkServers(ctx: CheckContext): ServerSpec[] {
  const servers = ctx.fleet.spec.servers.map((s) =>
    s.pageSize === undefined ? s : { ...s, tools: s.tools.slice(0, s.pageSize) },
  );
  return [
    ...servers.filter((s) => s.transport !== 'stdio'),
    ...servers.filter((s) => s.transport === 'stdio'),
  ];
}

/** The server a check injects faults into: the last network server with `minTools` tools, else a stdio one. */
export function faultServer(ctx: CheckContext, minTools = 1): ServerSpec | undefined {
  const servers = networkServers(ctx).filter((s) => s.tools.length >= minTools);
  return servers.findLast((s) => s.transport !== 'stdio') ?? servers[0];
}

/** A client straight to a fleet mock (bypassing the SUT), closed after the check. */
export async function direct(ctx: CheckContext, server: string): Promise<Client> {
  const endpoint = fleetEndpoints(ctx.fleet)[server];
  if (!endpoint) throw new Error(`the fleet has no running server '${server}'`);
  const connection = await connectEndpoint(endpoint, {
    timeoutMs: ctx.timeoutMs,
    label: `fleet server ${server} (direct)`,
    signal: ctx.signal,
  });
  ctx.defer(() => connection.close());
  return connection.client;
}

/** What one raw request ended with: the result, or the JSON-RPC error with its code and data. */
export type Answer =
  | { kind: 'result'; result: Record<string, unknown> }
  | { kind: 'error'; code: number | undefined; message: string; data?: unknown };

export async function answer(p: Promise<unknown>): Promise<Answer> {
  try {
    return { kind: 'result', result: (await p) as Record<string, unknown> };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown; data?: unknown };
    return {
      kind: 'error',
      code: typeof err?.code === 'number' ? err.code : undefined,
      message: typeof err?.message === 'string' ? err.message : String(e),
      ...(err?.data !== undefined ? { data: err.data } : {}),
    };
  }
}

/** tools/call through a session, as an Answer (keeps the error's data, which CallProbe drops). */
export function callRaw(
  ctx: CheckContext,
  session: Session,
  name: string,
  args: Record<string, unknown> = {},
  meta?: Record<string, unknown>,
): Promise<Answer> {
  return answer(
    session.connection.client.request(
      { method: 'tools/call', params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) } },
      { timeout: ctx.timeoutMs, signal: ctx.signal },
    ),
  );
}

/** The text parts of a result, joined. */
export function resultText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? (result.content as Array<Record<string, unknown>>) : [];
  return content
    .filter((c) => c?.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text as string)
    .join('\n');
}

/** One line for an answer, for observations. */
export function describeAnswer(a: Answer): string {
  if (a.kind === 'error') return `JSON-RPC error ${a.code ?? '(no code)'}: ${clip(a.message)}`;
  const text = clip(resultText(a.result));
  return a.result.isError === true ? `an isError result: ${text}` : `a result: ${text}`;
}

/** Everything a client sees of an answer (message, data, result text) as one string, for leak scans. */
export function answerText(a: Answer): string {
  if (a.kind === 'error') return `${a.message}\n${a.data === undefined ? '' : JSON.stringify(a.data)}`;
  return JSON.stringify(a.result);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where `got` differs from `sent`, path by path (`nested.list: sent …, received …`, `_x added`). */
export function differences(sent: unknown, got: unknown, path = ''): string[] {
  if (isDeepStrictEqual(sent, got)) return [];
  if (isObject(sent) && isObject(got)) {
    return [...new Set([...Object.keys(sent), ...Object.keys(got)])].flatMap((k) => {
      const at = path ? `${path}.${k}` : k;
      if (!Object.hasOwn(got, k)) return [`${at} dropped`];
      if (!Object.hasOwn(sent, k))
        return [`${at} added (${clip(JSON.stringify(got[k]) ?? 'undefined', 60)})`];
      return differences(sent[k], got[k], at);
    });
  }
  const show = (v: unknown) => clip(v === undefined ? 'nothing' : JSON.stringify(v), 80);
  return [`${path || 'the value'}: sent ${show(sent)}, received ${show(got)}`];
}

/** `a, b, c` of at most `max` items (`… and N more`). */
export function listOf(items: readonly string[], max = 8): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} … and ${items.length - max} more`;
}
