import type {
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from '@modelcontextprotocol/client';
import { UriTemplate } from '@modelcontextprotocol/client';
import type { Defects } from './defects.js';
import type { GatewaySettings, ServerGroup } from './settings.js';

/**
 * The aggregated catalogue of one upstream session: what each logical server
 * lists, under which exposed name, and where each name, URI or prompt routes.
 * Tool definitions pass through unchanged except for the name.
 */

export interface Route<T> {
  exposed: string;
  group: ServerGroup;
  /** The downstream's own name. */
  name: string;
  item: T;
}

export interface Table<T> {
  list: T[];
  routes: Map<string, Route<T>>;
}

export interface Listed<T> {
  group: ServerGroup;
  items: T[];
}

const INVALID = /[^A-Za-z0-9_.-]/g;

/** `prefix(server) + separator + name` (`search__query`), or the bare name when namespacing is off. */
export function exposedName(
  settings: GatewaySettings,
  defects: Defects,
  server: string,
  name: string,
): string {
  if (defects.has('duplicate-names') || defects.has('shadowing')) return name;
  const prefix = settings.prefix.replaceAll('{server}', server.replace(INVALID, '_'));
  if (prefix === '') return name;
  const separator = defects.has('invalid-names') ? '/' : settings.separator;
  return `${prefix}${separator}${name}`;
}

/**
 * Build the exposed list and the route table from what each logical server
 * listed (in mcpServers order). A name collision keeps the first server's
 * item and is logged; it is never listed twice nor silently replaced.
 */
export function buildTable<T extends { name: string }>(
  listed: readonly Listed<T>[],
  settings: GatewaySettings,
  defects: Defects,
  log: (m: string) => void,
): Table<T> {
  const entries: Route<T>[] = [];
  const routes = new Map<string, Route<T>>();
  for (const { group, items } of listed) {
    for (const item of items) {
      const route = {
        exposed: exposedName(settings, defects, group.name, item.name),
        group,
        name: item.name,
        item,
      };
      const first = routes.get(route.exposed);
      if (!first) {
        routes.set(route.exposed, route);
        entries.push(route);
      } else if (defects.has('duplicate-names')) {
        entries.push(route);
      } else if (defects.has('shadowing')) {
        routes.set(route.exposed, route);
        entries[entries.indexOf(first)] = route;
      } else {
        log(`name collision: ${route.exposed} from ${group.name} hidden by ${first.group.name}`);
      }
    }
  }
  return { list: entries.map((r) => ({ ...r.item, name: r.exposed })), routes };
}

/** tool-lost / tool-unlisted: the exposed name lost, fixed at the gateway's first listing. */
const lostTool = new WeakMap<GatewaySettings, string>();

/** The tools table, with the catalogue defects applied. */
export function buildTools(
  listed: readonly Listed<Tool>[],
  settings: GatewaySettings,
  defects: Defects,
  log: (m: string) => void,
): Table<Tool> {
  const table = buildTable(listed, settings, defects, log);
  const first = listed[0]?.group;
  if ((defects.has('tool-lost') || defects.has('tool-unlisted')) && first) {
    // The first server's last tool when first listed (a tool other checks may need, so the loss
    // also blocks them); the same one on every later listing, so tools added later are kept.
    const name =
      lostTool.get(settings) ?? table.list.findLast((t) => table.routes.get(t.name)?.group === first)?.name;
    if (name) lostTool.set(settings, name);
    const lost = table.list.find((t) => t.name === name);
    if (lost) {
      table.list.splice(table.list.indexOf(lost), 1);
      if (defects.has('tool-lost')) table.routes.delete(lost.name);
    }
  }
  table.list = table.list.map((t) => {
    let out: Tool = t;
    if (defects.has('schema-stripped')) out = { ...out, inputSchema: { type: 'object' } };
    if (defects.has('annotations-dropped')) {
      const { annotations: _a, ...rest } = out;
      out = rest;
    }
    return out;
  });
  return table;
}

export interface ResourceTable {
  list: Resource[];
  byUri: Map<string, ServerGroup>;
  templates: ResourceTemplate[];
  matchers: Array<{ group: ServerGroup; template: UriTemplate }>;
}

/** Resources keep their URIs; a URI (or template) routes to the first server that lists it. */
export function buildResources(
  resources: readonly Listed<Resource>[],
  templates: readonly Listed<ResourceTemplate>[],
): ResourceTable {
  const table: ResourceTable = { list: [], byUri: new Map(), templates: [], matchers: [] };
  for (const { group, items } of resources) {
    for (const r of items) {
      if (table.byUri.has(r.uri)) continue;
      table.byUri.set(r.uri, group);
      table.list.push(r);
    }
  }
  for (const { group, items } of templates) {
    for (const t of items) {
      table.templates.push(t);
      try {
        table.matchers.push({ group, template: new UriTemplate(t.uriTemplate) });
      } catch {
        // a template the SDK cannot parse is listed but cannot route
      }
    }
  }
  return table;
}

/** The logical server owning a resource URI, by exact URI first, then by template. */
export function routeResource(table: ResourceTable, uri: string): ServerGroup | undefined {
  const exact = table.byUri.get(uri);
  if (exact) return exact;
  return table.matchers.find((m) => m.template.match(uri))?.group;
}

export type PromptTable = Table<Prompt>;
