import { z } from 'zod';
import { loadFile } from '../config/load.js';
import { RegexSchema } from './regex.js';

/**
 * The target file: how to reach the system under test (SUT). A pattern, one
 * endpoint (or, for a mesh, one per server), an optional launch recipe and the
 * tool-naming rule that maps logical `server.tool` names to what the SUT exposes.
 *
 * Strings in endpoints and the launch recipe may use `{placeholder}`s (`{port}`,
 * `{mcpServersFile}`, `{workDir}`, extra keys from the caller), rendered when the
 * target is opened; header values (and stdio env values) may use `${ENV_NAME}`,
 * resolved from the harness's environment at connect time.
 */

const SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const TRANSPORTS = ['stdio', 'http', 'sse'] as const;

/** An http(s) URL; `{placeholder}`s are allowed and count as one character for the check. */
const UrlTemplate = z
  .string()
  .min(1)
  .refine((u) => isUrlTemplate(u), { message: 'expected an http:// or https:// URL' });

const StringMap = z.record(z.string(), z.string());
/** Written this way so the text is not mistaken for a template literal. */
const ENV_NOTE = 'values may reference environment variables as $' + '{ENV_NAME}';

export const StdioEndpointSchema = z
  .object({
    transport: z.literal('stdio'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: StringMap.default({}).describe(`added to a minimal inherited environment; ${ENV_NOTE}`),
    cwd: z.string().optional(),
  })
  .strict();

export const HttpEndpointSchema = z
  .object({
    transport: z.literal('http'),
    url: UrlTemplate,
    headers: StringMap.default({}).describe(ENV_NOTE),
  })
  .strict()
  .describe('Streamable HTTP');

export const SseEndpointSchema = z
  .object({
    transport: z.literal('sse'),
    url: UrlTemplate,
    headers: StringMap.default({}).describe(ENV_NOTE),
  })
  .strict()
  .describe('legacy HTTP+SSE');

export const EndpointSchema = z.discriminatedUnion(
  'transport',
  [StdioEndpointSchema, HttpEndpointSchema, SseEndpointSchema],
  { error: () => `expected transport to be one of ${TRANSPORTS.map((t) => `"${t}"`).join(', ')}` },
);
export type Endpoint = z.output<typeof EndpointSchema>;
export type EndpointInput = z.input<typeof EndpointSchema>;
export type StdioEndpoint = z.output<typeof StdioEndpointSchema>;
export type HttpEndpoint = z.output<typeof HttpEndpointSchema>;
export type SseEndpoint = z.output<typeof SseEndpointSchema>;

/** Exactly one of: `http` (any HTTP status answers), `log` (a stdout/stderr line matches), `handshake: true`. */
export const ReadySchema = z
  .object({
    http: UrlTemplate.optional().describe('ready when the URL answers with any HTTP status'),
    log: RegexSchema.optional().describe('ready when a stdout/stderr line matches the regular expression'),
    handshake: z.literal(true).optional().describe('ready when the MCP handshake succeeds'),
  })
  .strict()
  .refine((r) => [r.http, r.log, r.handshake].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of http: URL, log: REGEX or handshake: true',
  });
export type ReadySpec = z.output<typeof ReadySchema>;

export const LaunchSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: StringMap.default({}).describe('added to the harness environment'),
    cwd: z.string().optional(),
    configTemplate: z
      .object({ path: z.string().min(1), content: z.string() })
      .strict()
      .optional()
      .describe('a file rendered with the same placeholders and written before launch'),
    ready: ReadySchema.optional().describe('default: handshake when the endpoint is http/sse, else spawned'),
    readyTimeoutMs: z.number().int().positive().default(15_000),
    shutdownTimeoutMs: z.number().int().positive().default(5_000),
  })
  .strict();
export type LaunchSpec = z.output<typeof LaunchSchema>;

export const NamingSchema = z.discriminatedUnion(
  'mode',
  [
    z
      .object({
        mode: z.literal('prefix'),
        separator: z.string().min(1).default('__'),
        prefix: z
          .string()
          .refine((p) => p.includes('{server}'), { message: 'expected a template containing {server}' })
          .default('{server}'),
      })
      .strict()
      .describe('exposed name = prefix(server) + separator + tool'),
    z
      .object({ mode: z.literal('origin') })
      .strict()
      .describe('discovered through [origin:SERVER/TOOL] tags'),
    z
      .object({ mode: z.literal('identity') })
      .strict()
      .describe('tool names unchanged'),
  ],
  { error: () => 'expected mode to be one of "prefix", "origin", "identity"' },
);
export type NamingSpec = z.output<typeof NamingSchema>;

export const PATTERNS = ['direct', 'mesh', 'gateway', 'chain'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** The protocol option maps onto the SDK Client's `versionNegotiation` mode (target/connect.ts). */
export const ProtocolSchema = z
  .enum(['legacy', 'modern', 'auto', '2026-07-28'])
  .describe(
    'legacy: 2025-11-25 (initialize, sessions); modern: 2026-07-28 (server/discover, stateless); auto: probe, fall back',
  );
export type ProtocolChoice = z.output<typeof ProtocolSchema>;

export const TargetSpecSchema = z
  .object({
    name: z.string().min(1).optional().describe('label used in reports; defaults to the file name'),
    pattern: z.enum(PATTERNS),
    endpoint: EndpointSchema.optional().describe('direct, gateway and chain'),
    servers: z
      .record(z.string().regex(SERVER_NAME, 'expected 1-64 characters of [A-Za-z0-9_-]'), EndpointSchema)
      .optional()
      .describe('mesh: the harness is the host and connects to every one'),
    fromFleet: z.boolean().optional().describe("mesh: connect to every server of the scenario's fleet"),
    launch: LaunchSchema.optional(),
    naming: NamingSchema.optional().describe('default: origin for gateway, identity otherwise'),
    timeoutMs: z.number().int().positive().default(30_000).describe('per request, including the handshake'),
    deadlineMs: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe(
        'checks: the time within which the SUT must answer a call whose backend hangs, crashes or answers garbage ' +
          '(the harness itself waits twice as long, at least 10 s, before calling a call hung)',
      ),
    protocol: ProtocolSchema.default('legacy'),
    access: z
      .string()
      .min(1)
      .optional()
      .describe(
        'checks: a TS/JS module (relative to the target file) exporting defineAccess({list, call}): ' +
          'how to list and call the fleet tools through a code-mode/tool-search gateway’s meta-tools',
      ),
    checks: z
      .object({
        fleet: z
          .string()
          .min(1)
          .optional()
          .describe('fleet file the suites put behind the SUT (default: the built-in conformance fleet)'),
        servers: z
          .array(z.string().regex(SERVER_NAME))
          .min(1)
          .optional()
          .describe('built-in fleet only: keep these servers (a bridge wraps one)'),
        transport: z
          .enum(TRANSPORTS)
          .optional()
          .describe('built-in fleet only: serve every kept server over this transport'),
      })
      .catchall(z.record(z.string(), z.unknown()))
      .optional()
      .describe('conformance options: fleet, and per-suite options under the suite name'),
  })
  .strict()
  .superRefine(checkPatternShape, { when: () => true })
  .transform((t) => ({ ...t, naming: t.naming ?? defaultNaming(t.pattern) }));

export type TargetSpec = z.output<typeof TargetSpecSchema>;
export type TargetInput = z.input<typeof TargetSpecSchema>;

export function defaultNaming(pattern: Pattern): NamingSpec {
  return pattern === 'gateway' ? { mode: 'origin' } : { mode: 'identity' };
}

/** Typed helper for TS/JS target modules. */
export function defineTarget(target: TargetInput): TargetInput {
  return target;
}

/** Read and validate a target file (YAML or JSON); throws INVALID_CONFIG listing every problem. */
export async function loadTarget(file: string): Promise<TargetSpec> {
  return loadFile(TargetSpecSchema, file);
}

/**
 * Pattern-dependent rules. Runs even when other fields have problems (so one
 * pass lists everything), but only when the pattern itself is valid.
 */
function checkPatternShape(raw: unknown, ctx: z.RefinementCtx): void {
  if (typeof raw !== 'object' || raw === null) return;
  const t = raw as Record<string, unknown>;
  if (typeof t.pattern !== 'string' || !(PATTERNS as readonly string[]).includes(t.pattern)) return;
  const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (t.pattern === 'mesh') {
    if (t.endpoint !== undefined)
      add('endpoint', 'a mesh has no single endpoint: use servers or fromFleet: true');
    const hasServers = t.servers !== undefined && t.servers !== null;
    if (hasServers && t.fromFleet === true)
      add('fromFleet', 'give either servers or fromFleet: true, not both');
    if (!hasServers && t.fromFleet !== true)
      add('servers', 'a mesh needs servers (name: endpoint) or fromFleet: true');
    if (hasServers && typeof t.servers === 'object' && Object.keys(t.servers as object).length === 0) {
      add('servers', 'expected at least one server');
    }
  } else {
    if (t.endpoint === undefined)
      add('endpoint', `pattern ${t.pattern} needs an endpoint (expected object, missing)`);
    if (t.servers !== undefined)
      add('servers', `servers is only for pattern mesh (this target is ${t.pattern})`);
    if (t.fromFleet !== undefined)
      add('fromFleet', `fromFleet is only for pattern mesh (this target is ${t.pattern})`);
  }
}

function isUrlTemplate(u: string): boolean {
  // A URL may start with a placeholder that renders to a whole URL: `{fleet.tracker.url}`.
  const probe = u.replace(/^\{[A-Za-z][\w.-]*\}/, 'http://placeholder').replace(/\{[A-Za-z][\w.-]*\}/g, '0');
  if (!/^https?:\/\//i.test(probe)) return false;
  try {
    new URL(probe);
    return true;
  } catch {
    return false;
  }
}
