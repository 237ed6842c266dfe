import {
  type CallToolResult,
  type ContentBlock,
  fromJsonSchema,
  ProtocolError,
  Server,
  type ServerContext,
  UriTemplate,
} from '@modelcontextprotocol/server';
import type { Era } from '../../harness/schema/era.js';
import type { ToolSpec } from '../../harness/schema/fleet.js';
import { withOriginTag } from '../../harness/schema/origin.js';
import type { ToolResultLike } from '../faults/types.js';
import { askClient } from './ask.js';
import type { Connection } from './connection.js';
import { runWithEffects, sleep } from './effects.js';
import { paginate } from './paginate.js';
import { renderArgs, renderDeep } from './template.js';

const INVALID_PARAMS = -32602;
const CACHEABLE = [
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
] as const;

/**
 * Build the SDK server for one connection of a mock. The low-level `Server`
 * is used on purpose: a mock must answer exactly as its fleet entry says
 * (pagination, raw JSON Schemas, JSON-RPC errors for unknown tools), which the
 * high-level McpServer would second-guess.
 */
export function buildServer(conn: Connection): Server {
  const { spec } = conn.mock;
  const caps = spec.capabilities;
  const server = new Server(
    { name: spec.name, version: spec.version },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true, ...(caps.subscribe ? { subscribe: true } : {}) },
        prompts: { listChanged: true },
        ...(caps.logging ? { logging: {} } : {}),
        ...(caps.completions ? { completions: {} } : {}),
      },
      instructions: spec.instructions,
      // The modern era carries ttlMs/cacheScope on lists and reads (the legacy wire drops them).
      cacheHints: Object.fromEntries(CACHEABLE.map((m) => [m, spec.cache])),
    },
  );
  registerTools(server, conn);
  registerResources(server, conn);
  registerPrompts(server, conn);
  if (caps.completions) registerCompletions(server, conn);
  return server;
}

function registerTools(server: Server, conn: Connection) {
  const { mock } = conn;
  const validators = new Map<ToolSpec, ReturnType<typeof fromJsonSchema>>();

  server.setRequestHandler('tools/list', async (req) => {
    const all = [...mock.tools.values()].map((t) => ({
      name: t.name,
      ...(t.title ? { title: t.title } : {}),
      description: withOriginTag(t.description, mock.spec.name, t.name),
      inputSchema: t.inputSchema as { type: 'object' },
      ...(t.outputSchema ? { outputSchema: t.outputSchema as { type: 'object' } } : {}),
      ...(t.annotations ? { annotations: t.annotations } : {}),
    }));
    const { page, nextCursor } = paginate(all, mock.spec.pageSize, req.params?.cursor);
    return nextCursor ? { tools: page, nextCursor } : { tools: page };
  });

  server.setRequestHandler('tools/call', async (req, ctx) => {
    const name = req.params.name;
    const tool = mock.tools.get(name);
    const admission = conn.admissionFor(ctx.mcpReq.id);
    const applied = admission?.applied ?? [];
    const record = admission?.record;
    const args = (req.params.arguments ?? {}) as Record<string, unknown>;
    const env = {
      signal: ctx.mcpReq.signal,
      stopSignal: mock.stopSignal,
      crash: () => mock.crash(record!),
      onDelay: (us: number) => {
        if (record) record.injectedDelayUs = us;
      },
      onHang: () => {
        if (record) record.outcome = 'hung';
      },
    };
    return (await runWithEffects(applied, env, async () => {
      // The spec answers an unknown tool with a JSON-RPC error, not an isError result.
      if (!tool) throw new ProtocolError(INVALID_PARAMS, `Unknown tool: ${name}`);
      let validator = validators.get(tool);
      if (!validator) {
        validator = fromJsonSchema(tool.inputSchema as never);
        validators.set(tool, validator);
      }
      const checked = await validator['~standard'].validate(args);
      if (checked.issues) {
        // Since 2025-11-25 input validation failures are tool errors the model can read.
        const text = checked.issues.map((i) => i.message).join('; ');
        return { content: [{ type: 'text', text: `invalid arguments for ${name}: ${text}` }], isError: true };
      }
      await emitProgressAndLogs(tool, req.params._meta?.progressToken, ctx);
      // An input_required result (modern ask) passes the effects as any other result does.
      if (tool.ask) return (await askClient(tool.ask, args, ctx, conn, record)) as ToolResultLike;
      return produceResult(tool, args, { mock, era: conn.era, mcp: ctx });
    })) as CallToolResult;
  });
}

async function emitProgressAndLogs(
  tool: ToolSpec,
  progressToken: string | number | undefined,
  ctx: ServerContext,
) {
  for (const log of tool.logs) {
    await ctx.mcpReq.log(log.level, log.data, log.logger);
  }
  if (!tool.progress || progressToken === undefined) return;
  const { steps, intervalMs } = tool.progress;
  for (let i = 1; i <= steps; i++) {
    await ctx.mcpReq.notify({
      method: 'notifications/progress',
      params: { progressToken, progress: i, total: steps, message: `step ${i}/${steps}` },
    });
    if (i < steps && intervalMs > 0) await sleep(intervalMs, ctx.mcpReq.signal);
  }
}

async function produceResult(
  tool: ToolSpec,
  args: Record<string, unknown>,
  at: { mock: Connection['mock']; era: Era; mcp: ServerContext },
): Promise<ToolResultLike> {
  if (tool.handler) {
    const { mock, era, mcp } = at;
    const listChanged = (list: 'tools' | 'prompts' | 'resources') => mock.notifyListChanged(list);
    const ctx = { server: mock.spec.name, tool: tool.name, signal: mcp.mcpReq.signal, era, mcp, listChanged };
    return (await tool.handler(args, ctx)) as ToolResultLike;
  }
  const r = tool.result;
  if (r.echo) {
    return { content: [{ type: 'text', text: JSON.stringify(args) }], structuredContent: args };
  }
  const content: Array<Record<string, unknown>> = [];
  if (r.text !== undefined) content.push({ type: 'text', text: renderArgs(r.text, args) });
  if (r.content) content.push(...renderDeep(r.content as Array<Record<string, unknown>>, args));
  const structuredContent = r.structuredContent ? renderDeep(r.structuredContent, args) : undefined;
  if (structuredContent && content.length === 0) {
    // Structured results also carry their JSON as text, as the spec recommends for older clients.
    content.push({ type: 'text', text: JSON.stringify(structuredContent) });
  }
  return {
    content,
    ...(structuredContent ? { structuredContent } : {}),
    ...(r.isError ? { isError: true } : {}),
  };
}

function registerResources(server: Server, conn: Connection) {
  const { spec } = conn.mock;
  server.setRequestHandler('resources/list', async (req) => {
    const all = spec.resources.map(({ text: _t, blob: _b, ...meta }) => meta);
    const { page, nextCursor } = paginate(all, spec.pageSize, req.params?.cursor);
    return nextCursor ? { resources: page, nextCursor } : { resources: page };
  });
  server.setRequestHandler('resources/templates/list', async (req) => {
    const all = spec.resourceTemplates.map(({ text: _t, completions: _c, ...meta }) => meta);
    const { page, nextCursor } = paginate(all, spec.pageSize, req.params?.cursor);
    return nextCursor ? { resourceTemplates: page, nextCursor } : { resourceTemplates: page };
  });
  server.setRequestHandler('resources/read', async (req) => {
    const uri = req.params.uri;
    const fixed = spec.resources.find((r) => r.uri === uri);
    if (fixed) {
      const body = fixed.text !== undefined ? { text: fixed.text } : { blob: fixed.blob! };
      return { contents: [{ uri, ...(fixed.mimeType ? { mimeType: fixed.mimeType } : {}), ...body }] };
    }
    for (const t of spec.resourceTemplates) {
      const vars = new UriTemplate(t.uriTemplate).match(uri);
      if (!vars) continue;
      const text = t.text.replace(/\{(\w+)\}/g, (m, k: string) => {
        const v = vars[k];
        return v === undefined ? m : Array.isArray(v) ? v.join(',') : v;
      });
      return { contents: [{ uri, ...(t.mimeType ? { mimeType: t.mimeType } : {}), text }] };
    }
    // Resource not found: -32002 in 2025-11-25, -32602 (invalid params) since 2026-07-28.
    throw new ProtocolError(conn.era === 'modern' ? INVALID_PARAMS : -32002, `Resource not found: ${uri}`, {
      uri,
    });
  });
  if (!spec.capabilities.subscribe) return; // a server that does not advertise subscribe answers -32601
  server.setRequestHandler('resources/subscribe', async (req) => {
    // The subscribed resource "changes" once, right after the subscription is confirmed.
    const uri = req.params.uri;
    setTimeout(() => void server.sendResourceUpdated({ uri }).catch(() => {}), UPDATE_AFTER_MS).unref();
    return {};
  });
  server.setRequestHandler('resources/unsubscribe', async () => ({}));
}

/** How long after a resources/subscribe the mock sends notifications/resources/updated. */
const UPDATE_AFTER_MS = 20;

/**
 * completion/complete from the fleet entry: a prompt argument's or a resource
 * template variable's completion values that start with the typed value. An
 * unknown prompt or template is -32602, as the SDK's own servers answer it.
 */
function registerCompletions(server: Server, conn: Connection) {
  const { spec } = conn.mock;
  server.setRequestHandler('completion/complete', async (req) => {
    const { ref, argument } = req.params;
    let values: string[] | undefined;
    if (ref.type === 'ref/prompt') {
      const prompt = spec.prompts.find((p) => p.name === ref.name);
      if (!prompt) throw new ProtocolError(INVALID_PARAMS, `Unknown prompt: ${ref.name}`);
      values = prompt.arguments.find((a) => a.name === argument.name)?.completions;
    } else {
      const template = spec.resourceTemplates.find((t) => t.uriTemplate === ref.uri);
      if (!template) throw new ProtocolError(INVALID_PARAMS, `Unknown resource template: ${ref.uri}`);
      values = template.completions?.[argument.name];
    }
    const hits = (values ?? []).filter((v) => v.startsWith(argument.value));
    return { completion: { values: hits.slice(0, 100), total: hits.length, hasMore: hits.length > 100 } };
  });
}

function registerPrompts(server: Server, conn: Connection) {
  const { spec } = conn.mock;
  server.setRequestHandler('prompts/list', async (req) => {
    const all = spec.prompts.map(({ messages: _m, ...meta }) => ({
      ...meta,
      arguments: meta.arguments.map(({ completions: _c, ...arg }) => arg),
    }));
    const { page, nextCursor } = paginate(all, spec.pageSize, req.params?.cursor);
    return nextCursor ? { prompts: page, nextCursor } : { prompts: page };
  });
  server.setRequestHandler('prompts/get', async (req, ctx) => {
    const prompt = spec.prompts.find((p) => p.name === req.params.name);
    if (!prompt) throw new ProtocolError(INVALID_PARAMS, `Unknown prompt: ${req.params.name}`);
    const args = (req.params.arguments ?? {}) as Record<string, unknown>;
    if (prompt.handler)
      return (await prompt.handler(args, {
        server: spec.name,
        prompt: prompt.name,
        era: conn.era,
        mcp: ctx,
      })) as never;
    const missing = prompt.arguments
      .filter((a) => a.required && args[a.name] === undefined)
      .map((a) => a.name);
    if (missing.length)
      throw new ProtocolError(INVALID_PARAMS, `Missing required arguments: ${missing.join(', ')}`);
    return {
      ...(prompt.description ? { description: prompt.description } : {}),
      messages: prompt.messages.map((m) => ({
        role: m.role,
        content: m.content
          ? (renderDeep([m.content as Record<string, unknown>], args)[0] as ContentBlock)
          : { type: 'text' as const, text: renderArgs(m.text, args) },
      })),
    };
  });
}
