import type { Client, ServerCapabilities } from '@modelcontextprotocol/client';
import { remaining } from './downstream.js';

/** The four lists a gateway aggregates: request method, result key, and the capability that offers it. */
export const LISTS = {
  tools: { method: 'tools/list', key: 'tools', capability: 'tools' },
  resources: { method: 'resources/list', key: 'resources', capability: 'resources' },
  resourceTemplates: {
    method: 'resources/templates/list',
    key: 'resourceTemplates',
    capability: 'resources',
  },
  prompts: { method: 'prompts/list', key: 'prompts', capability: 'prompts' },
} as const satisfies Record<
  string,
  { method: string; key: string; capability: keyof ServerCapabilities & string }
>;
export type ListKind = keyof typeof LISTS;

/** Pages a downstream may send before the gateway stops following `nextCursor` (a cursor that never ends). */
const MAX_PAGES = 1000;

/**
 * Every item of one downstream list, following its cursors page by page
 * (each page bounded by the time left before `deadline`). A server without
 * the capability lists nothing.
 */
export async function listAll<T>(
  client: Client,
  kind: ListKind,
  deadline: number,
  timeoutMs: number,
  firstPageOnly: boolean,
): Promise<T[]> {
  const { method, key, capability } = LISTS[kind];
  if (!client.getServerCapabilities()?.[capability]) return [];
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await client.request(
      { method, params: cursor === undefined ? {} : { cursor } },
      { timeout: remaining(deadline, timeoutMs) },
    )) as unknown as Record<string, unknown> & { nextCursor?: string };
    items.push(...((result[key] as T[] | undefined) ?? []));
    cursor = result.nextCursor;
    if (!cursor || firstPageOnly) break;
  }
  return items;
}
