import { z } from 'zod';
import { readDataFile, validate } from '../../../harness/config/load.js';
import type { Endpoint } from '../../../harness/schema/target.js';

/**
 * The standard host config a chain reads to find its downstream servers:
 * `{"mcpServers": {name: {command, args, env} | {type: "http"|"sse", url}}}`
 * (what `createFleet(...).writeMcpServersFile(path)` writes). Unknown keys that
 * hosts add (`disabled`, `alwaysAllow`, …) are ignored.
 */

const StringMap = z.record(z.string(), z.string());

const StdioEntrySchema = z.looseObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: StringMap.default({}),
  cwd: z.string().optional(),
});

const UrlEntrySchema = z.looseObject({
  type: z
    .enum(['http', 'streamable-http', 'streamableHttp', 'sse'])
    .default('http')
    .describe('http (Streamable HTTP) or sse (legacy HTTP+SSE)'),
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  headers: StringMap.default({}),
});

type StdioEntry = z.output<typeof StdioEntrySchema>;
type UrlEntry = z.output<typeof UrlEntrySchema>;

/** An entry with `command` (or type stdio) is a process to spawn; anything else is a URL to connect to. */
export const McpServerEntrySchema = z.unknown().transform((v, ctx): StdioEntry | UrlEntry => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: 'expected {command, args, env} or {type, url}' });
    return z.NEVER;
  }
  const stdio = 'command' in v || (v as { type?: unknown }).type === 'stdio';
  const parsed = (stdio ? StdioEntrySchema : UrlEntrySchema).safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
  return z.NEVER;
});

export const McpServersFileSchema = z.object({
  mcpServers: z.record(z.string().min(1), McpServerEntrySchema),
});
export type McpServersFile = z.output<typeof McpServersFileSchema>;
export type McpServersInput = z.input<typeof McpServersFileSchema>;

/** Validate an mcpServers document (object or file path); throws INVALID_CONFIG listing every problem. */
export async function loadMcpServers(source: string | unknown): Promise<McpServersFile> {
  if (typeof source === 'string') return validate(McpServersFileSchema, await readDataFile(source), source);
  return validate(McpServersFileSchema, source, 'mcpServers');
}

/** The harness endpoint for each entry, keyed by server name. */
export function endpointsOf(file: McpServersFile): Map<string, Endpoint> {
  const out = new Map<string, Endpoint>();
  for (const [name, entry] of Object.entries(file.mcpServers)) {
    if (isStdio(entry)) {
      out.set(name, {
        transport: 'stdio',
        command: entry.command,
        args: entry.args,
        env: entry.env,
        ...(entry.cwd ? { cwd: entry.cwd } : {}),
      });
    } else {
      const url = entry as UrlEntry;
      out.set(name, {
        transport: url.type === 'sse' ? 'sse' : 'http',
        url: url.url,
        headers: url.headers,
      });
    }
  }
  return out;
}

function isStdio(e: StdioEntry | UrlEntry): e is StdioEntry {
  return 'command' in e && typeof e.command === 'string';
}
