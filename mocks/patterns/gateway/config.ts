import { readDataFile, validate } from '../../../harness/config/load.js';
import {
  type GatewayFile,
  GatewayFileSchema,
  type GatewaySettings,
  type GatewaySettingsInput,
  type McpServerEntry,
  type ServerGroup,
  serverGroups,
} from './settings.js';

/** Everything a gateway runs from, validated. */
export interface GatewayConfig {
  servers: ReadonlyMap<string, McpServerEntry>;
  /** Logical servers, in mcpServers order. */
  groups: readonly ServerGroup[];
  settings: GatewaySettings;
}

/**
 * Read and validate the mcpServers document (a path to a JSON/YAML file, or
 * the document itself). `overrides` (CLI flags, startGateway settings) win
 * over the file's `gateway` key field by field. Every problem is reported at
 * once with its path: HarnessError INVALID_CONFIG (exit 2).
 */
export async function loadGatewayConfig(
  source: string | Record<string, unknown>,
  overrides: Partial<GatewaySettingsInput> = {},
): Promise<GatewayConfig> {
  const label = typeof source === 'string' ? source : 'mcpServers';
  const raw = typeof source === 'string' ? await readDataFile(source) : source;
  const doc = isObject(raw) ? { ...raw } : raw;
  if (isObject(doc)) {
    const fileSettings = isObject(doc.gateway) ? doc.gateway : doc.gateway === undefined ? {} : doc.gateway;
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    doc.gateway = isObject(fileSettings) ? { ...fileSettings, ...defined } : fileSettings;
  }
  return fromFile(validate(GatewayFileSchema, doc, label));
}

export function fromFile(file: GatewayFile): GatewayConfig {
  return {
    servers: new Map(Object.entries(file.mcpServers)),
    groups: serverGroups(file),
    settings: file.gateway,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where an entry lives, for logs only (never sent upstream: it may hold paths). */
export function describeEntry(entry: McpServerEntry): string {
  return 'command' in entry
    ? `stdio: ${[entry.command, ...entry.args].join(' ')}`
    : `${entry.type} ${entry.url}`;
}
