import { z } from 'zod';

/**
 * The gateway's configuration: a standard `mcpServers` document (what hosts
 * and `createFleet(...).writeMcpServersFile()` write) plus an optional
 * `gateway` key with the gateway's own settings. CLI flags and
 * `startGateway({settings})` override the file's `gateway` key field by field.
 */

const NAME_CHARS = /^[A-Za-z0-9_.-]*$/;
const GROUP_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const StdioEntrySchema = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
});

export const RemoteEntrySchema = z.object({
  type: z
    .enum(['http', 'streamable-http', 'streamableHttp', 'sse'])
    .default('http')
    .describe('http (Streamable HTTP) or sse (legacy HTTP+SSE)'),
  url: z.url(),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe("the gateway's own headers for this server (never the upstream client's)"),
});

/** One server of the mcpServers document. Unknown keys hosts add (disabled, autoApprove…) are ignored. */
export const McpServerEntrySchema = z.union([StdioEntrySchema, RemoteEntrySchema], {
  error: () => 'expected {command, args, env} or {type, url}',
});
export type McpServerEntry = z.output<typeof McpServerEntrySchema>;

export const GatewaySettingsSchema = z
  .object({
    prefix: z
      .string()
      .default('{server}')
      .describe('template of the tool/prompt name prefix; {server} is the (logical) server name; "" = none'),
    separator: z
      .string()
      .regex(NAME_CHARS, 'expected characters of [A-Za-z0-9_.-] (exposed names must stay valid tool names)')
      .default('__'),
    timeoutMs: z.number().int().positive().default(10_000).describe('per-call deadline, connect included'),
    pageSize: z.number().int().positive().default(50).describe('page size of the lists the gateway serves'),
    replicas: z
      .record(
        z.string().regex(GROUP_NAME, 'expected 1-64 characters of [A-Za-z0-9_-]'),
        z.array(z.string().min(1)).min(1),
      )
      .default({})
      .describe('logical server → its replicas (mcpServers names), tried in order'),
    allowedOrigins: z
      .array(z.string().min(1))
      .default([])
      .describe('Origins accepted on HTTP besides localhost ones; "*" accepts any'),
    allowedHosts: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Host header names accepted on HTTP besides localhost ones (enforced on a non-loopback bind only when given); "*" accepts any',
      ),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(8 * 1024 * 1024)
      .describe('larger HTTP request bodies are answered 413'),
    path: z.string().startsWith('/').default('/mcp'),
    idleSessionMs: z
      .number()
      .int()
      .nonnegative()
      .default(2000)
      .describe(
        'an HTTP session with no request in flight and no open stream for this long is ended, as if deleted (0 = never)',
      ),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!NAME_CHARS.test(s.prefix.replaceAll('{server}', ''))) {
      ctx.addIssue({
        code: 'custom',
        path: ['prefix'],
        message: 'expected characters of [A-Za-z0-9_.-] around {server}',
      });
    }
  });
export type GatewaySettings = z.output<typeof GatewaySettingsSchema>;
export type GatewaySettingsInput = z.input<typeof GatewaySettingsSchema>;

export const GatewayFileSchema = z
  .object({
    mcpServers: z.record(z.string().min(1), McpServerEntrySchema),
    gateway: GatewaySettingsSchema.default(GatewaySettingsSchema.parse({})),
  })
  .superRefine((file, ctx) => {
    const owner = new Map<string, string>();
    for (const [group, members] of Object.entries(file.gateway.replicas)) {
      if (Object.hasOwn(file.mcpServers, group) && !members.includes(group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['gateway', 'replicas', group],
          message: `'${group}' is also the name of another server in mcpServers`,
        });
      }
      members.forEach((m, i) => {
        const path = ['gateway', 'replicas', group, i];
        if (!Object.hasOwn(file.mcpServers, m)) {
          ctx.addIssue({ code: 'custom', path, message: `no server '${m}' in mcpServers` });
        } else if (owner.has(m)) {
          ctx.addIssue({ code: 'custom', path, message: `'${m}' is already a replica of '${owner.get(m)}'` });
        } else owner.set(m, group);
      });
    }
  });
export type GatewayFile = z.output<typeof GatewayFileSchema>;

/** A logical server: one downstream, or several replicas of one (tried in order). */
export interface ServerGroup {
  name: string;
  members: string[];
}

/** Logical servers in mcpServers order (a replica group sits where its first member is). */
export function serverGroups(file: GatewayFile): ServerGroup[] {
  const groupOf = new Map<string, string>();
  for (const [g, members] of Object.entries(file.gateway.replicas))
    for (const m of members) groupOf.set(m, g);
  const groups: ServerGroup[] = [];
  const seen = new Set<string>();
  for (const name of Object.keys(file.mcpServers)) {
    const g = groupOf.get(name);
    if (!g) groups.push({ name, members: [name] });
    else if (!seen.has(g)) {
      seen.add(g);
      groups.push({ name: g, members: file.gateway.replicas[g]! });
    }
  }
  return groups;
}
