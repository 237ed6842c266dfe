import { ContentBlockSchema, ToolAnnotationsSchema } from '@modelcontextprotocol/core';
import type { ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { faultDefinition } from '../../mocks/faults/registry.js';
import { type Era, type EraChoice, EraChoiceSchema } from './era.js';
import { FaultSpecSchema } from './fault.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const JsonSchemaObject = z
  .record(z.string(), z.unknown())
  .refine((s) => s.type === 'object', { message: 'expected a JSON Schema with type: object' });

/**
 * A tool handler in a TS/JS fleet: receives the arguments, returns a CallToolResult
 * (or, on a modern connection, an input_required result). `era` is the era of the
 * call; `mcp` is the SDK's request context (log, notify, elicitInput/requestSampling
 * on legacy, inputResponses/requestState on modern); `listChanged` notifies every client.
 */
export type ToolHandler = (
  args: Record<string, unknown>,
  ctx: {
    server: string;
    tool: string;
    signal: AbortSignal;
    era: Era;
    mcp: ServerContext;
    /** Tell every client of this mock that a list changed (legacy notification, modern listen stream). */
    listChanged: (list: 'tools' | 'prompts' | 'resources') => Promise<void>;
  },
) => unknown;

/**
 * What a tool answers. `text` and `content` may use {{args.path}} to echo an
 * argument; `echo` answers with the arguments themselves (text + structuredContent).
 */
/** A prompt handler in a TS/JS fleet: a GetPromptResult, or on a modern connection an input_required result. */
export type PromptHandler = (
  args: Record<string, unknown>,
  ctx: { server: string; prompt: string; era: Era; mcp: ServerContext },
) => unknown;

export const ResultSpecSchema = z
  .object({
    text: z.string().optional(),
    content: z.array(ContentBlockSchema).optional(),
    structuredContent: z.record(z.string(), z.unknown()).optional(),
    echo: z.boolean().optional(),
    isError: z.boolean().optional(),
  })
  .strict();
export type ResultSpec = z.output<typeof ResultSpecSchema>;

export const ToolSpecSchema = z
  .object({
    name: z.string().regex(TOOL_NAME, 'expected 1-128 characters of [A-Za-z0-9_.-]'),
    title: z.string().optional(),
    description: z.string().default(''),
    inputSchema: JsonSchemaObject.default({ type: 'object' }),
    outputSchema: JsonSchemaObject.optional(),
    annotations: ToolAnnotationsSchema.optional(),
    result: ResultSpecSchema.default({ echo: true }),
    handler: z.custom<ToolHandler>((v) => typeof v === 'function', 'expected a function').optional(),
    progress: z
      .object({ steps: z.number().int().min(1), intervalMs: z.number().min(0).default(10) })
      .strict()
      .optional()
      .describe('progress notifications sent when the call carries a progressToken'),
    logs: z
      .array(
        z
          .object({
            level: z.enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']),
            data: z.unknown(),
            logger: z.string().optional(),
          })
          .strict(),
      )
      .default([])
      .describe('log messages sent during each call'),
    ask: z
      .enum(['sampling', 'elicitation'])
      .optional()
      .describe(
        'ask the client during each call (sampling: sampling/createMessage, elicitation: elicitation/create) ' +
          'and answer with its reply ("MODEL: TEXT", or "ACTION: CONTENT"), or an isError result ' +
          '"failed: MESSAGE" when the request fails; a legacy connection asks with a server-to-client ' +
          'request, a modern one with an input_required result (MRTR) answered on the retried call',
      ),
  })
  .strict();
export type ToolSpec = z.output<typeof ToolSpecSchema>;

export const ResourceSpecSchema = z
  .object({
    uri: z.string().min(1),
    name: z.string().min(1),
    title: z.string().optional(),
    description: z.string().optional(),
    mimeType: z.string().optional(),
    text: z.string().optional(),
    blob: z.base64().optional().describe('base64 content'),
  })
  .strict()
  .refine((r) => (r.text === undefined) !== (r.blob === undefined), {
    message: 'give exactly one of text or blob',
  });

export const ResourceTemplateSpecSchema = z
  .object({
    uriTemplate: z.string().min(1),
    name: z.string().min(1),
    description: z.string().optional(),
    mimeType: z.string().optional(),
    text: z.string().describe('content; {var} is replaced by the URI template variable'),
    completions: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('per template variable: the values completion/complete offers'),
  })
  .strict();

/** What a mock advertises and serves beyond tools, resources and prompts. */
export const ServerCapabilitiesSpecSchema = z
  .object({
    completions: z
      .boolean()
      .default(false)
      .describe('serve completion/complete from the completion values of prompts and templates'),
    subscribe: z
      .boolean()
      .default(false)
      .describe(
        'serve resources/subscribe; each subscription is followed by one notifications/resources/updated',
      ),
    logging: z.boolean().default(true).describe('advertise logging (logging/setLevel is served)'),
  })
  .strict();

export const PromptSpecSchema = z
  .object({
    name: z.string().min(1),
    title: z.string().optional(),
    description: z.string().optional(),
    arguments: z
      .array(
        z
          .object({
            name: z.string().min(1),
            description: z.string().optional(),
            required: z.boolean().optional(),
            completions: z
              .array(z.string())
              .optional()
              .describe(
                'values completion/complete offers for this argument (those starting with the typed value)',
              ),
          })
          .strict(),
      )
      .default([]),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['user', 'assistant']),
            text: z.string().default(''),
            content: ContentBlockSchema.optional().describe(
              'a content block instead of text (image, resource…)',
            ),
          })
          .strict()
          .refine((m) => (m.text === '') !== (m.content === undefined), {
            message: 'expected exactly one of text or content',
          }),
      )
      .min(1)
      .describe('text (and strings in content) may use {{args.name}}'),
    handler: z
      .custom<PromptHandler>((v) => typeof v === 'function', 'expected a function')
      .optional()
      .describe(
        'TS fleets: answers prompts/get instead of the messages (may answer input_required on modern)',
      ),
  })
  .strict();

export const HttpOptionsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(0),
    host: z
      .string()
      .min(1)
      .optional()
      .describe('listen address (default 127.0.0.1; 0.0.0.0 for a gateway on another host or container)'),
    path: z.string().startsWith('/').default('/mcp'),
    stateless: z
      .boolean()
      .default(false)
      .describe('no Mcp-Session-Id; each request served by a fresh instance'),
    response: z
      .enum(['sse', 'json'])
      .default('sse')
      .describe('how a POST is answered: an SSE stream or one JSON body'),
  })
  .strict();

/** The era a mock serves when its entry names none: dual over streamable HTTP and stdio, legacy over HTTP+SSE. */
export function servedEra(spec: Pick<ServerSpec, 'era' | 'transport'>): EraChoice {
  return spec.era ?? (spec.transport === 'sse' ? 'legacy' : 'dual');
}

export const ServerSpecSchema = z
  .object({
    name: z.string().regex(NAME, 'expected 1-64 characters of [A-Za-z0-9_-]'),
    transport: z.enum(['stdio', 'http', 'sse']).describe('stdio, streamable HTTP, or legacy HTTP+SSE'),
    http: HttpOptionsSchema.default(HttpOptionsSchema.parse({})),
    version: z.string().default('1.0.0'),
    instructions: z.string().optional(),
    pageSize: z.number().int().min(1).optional().describe('page size of tools/resources/prompts lists'),
    era: EraChoiceSchema.optional().describe(
      'protocol era served: legacy (2025-11-25: initialize, sessions), modern (2026-07-28: server/discover, ' +
        'per-request _meta), dual (both from one endpoint); default dual over HTTP and stdio, legacy over SSE',
    ),
    cache: z
      .object({
        ttlMs: z.number().int().min(0).default(0),
        cacheScope: z.enum(['public', 'private']).default('private'),
      })
      .strict()
      .default({ ttlMs: 0, cacheScope: 'private' })
      .describe('ttlMs/cacheScope the modern era puts on lists and reads'),
    lenient: z
      .boolean()
      .default(false)
      .describe(
        'forgive what real servers refuse: HTTP sessions survive a restart, SSE and stdio serve requests ' +
          'before initialize, ask tools ask clients that did not declare the capability',
      ),
    tools: z.array(ToolSpecSchema).default([]),
    resources: z.array(ResourceSpecSchema).default([]),
    resourceTemplates: z.array(ResourceTemplateSpecSchema).default([]),
    prompts: z.array(PromptSpecSchema).default([]),
    faults: z.array(FaultSpecSchema).default([]),
    capabilities: ServerCapabilitiesSpecSchema.default(ServerCapabilitiesSpecSchema.parse({})),
  })
  .strict()
  .superRefine((server, ctx) => {
    for (const i of duplicates(server.tools.map((t) => t.name))) {
      ctx.addIssue({
        code: 'custom',
        path: ['tools', i, 'name'],
        message: `duplicate tool name '${server.tools[i]?.name}'`,
      });
    }
    if (server.transport === 'sse' && server.era && server.era !== 'legacy') {
      ctx.addIssue({
        code: 'custom',
        path: ['era'],
        message: `expected legacy: HTTP+SSE is a 2025-era transport (got '${server.era}')`,
      });
    }
    server.faults.forEach((f, i) => {
      const only = transportsOf(f.type);
      if (only && !only.includes(server.transport)) {
        ctx.addIssue({
          code: 'custom',
          path: ['faults', i, 'type'],
          message: `fault '${f.type}' needs transport ${only.join(' or ')}, server uses ${server.transport}`,
        });
      }
    });
  });
export type ServerSpec = z.output<typeof ServerSpecSchema>;
export type ServerInput = z.input<typeof ServerSpecSchema>;

export const FleetSpecSchema = z
  .object({
    seed: z.number().int().default(1).describe('seed of every fault random stream'),
    servers: z.array(ServerSpecSchema).min(1),
  })
  .strict()
  .superRefine(
    (fleet, ctx) => {
      // Runs even when other fields failed (see `when`), so input may be malformed here.
      const servers = Array.isArray(fleet?.servers) ? fleet.servers : [];
      const names = servers.map((s) => (typeof s?.name === 'string' ? s.name : `\u0000${Math.random()}`));
      for (const i of duplicates(names)) {
        ctx.addIssue({
          code: 'custom',
          path: ['servers', i, 'name'],
          message: `duplicate server name '${names[i]}'`,
        });
      }
    },
    // Report duplicates together with every other problem, not only once the rest is valid.
    { when: () => true },
  );
export type FleetSpec = z.output<typeof FleetSpecSchema>;
export type FleetInput = z.input<typeof FleetSpecSchema>;

/** Typed helper for TS/JS fleet modules. */
export function defineFleet(fleet: FleetInput): FleetInput {
  return fleet;
}

function duplicates(names: string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  names.forEach((n, i) => {
    if (seen.has(n)) out.push(i);
    seen.add(n);
  });
  return out;
}

function transportsOf(type: string) {
  return faultDefinition(type)?.transports;
}
