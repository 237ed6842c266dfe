import {
  type CallToolResult,
  fromJsonSchema,
  ProtocolError,
  Server,
  type Tool,
} from '@modelcontextprotocol/server';
import { internalError } from './answer.js';
import { runComposite } from './composite.js';
import type { ChainDefect } from './defects.js';
import type { Downstreams } from './downstream.js';
import type { ChainSpec, CompositeTool } from './schema.js';
import type { CallContext } from './step.js';

const INVALID_PARAMS = -32602;

/** What every upstream connection of one chain shares. */
export interface ChainRuntime {
  spec: ChainSpec;
  defects: ReadonlySet<ChainDefect>;
  downstreams: Downstreams;
}

type Validator = ReturnType<typeof fromJsonSchema>;

/**
 * The SDK server for one upstream connection. It lists the composite tools
 * (plain descriptions, the declared input schemas) and runs a composite per
 * tools/call, inside its own downstream scope that is closed when the call ends.
 */
export function buildChainServer(rt: ChainRuntime): Server {
  const server = new Server(
    { name: rt.spec.name, version: rt.spec.version },
    {
      capabilities: { tools: {} },
      ...(rt.spec.instructions ? { instructions: rt.spec.instructions } : {}),
    },
  );
  const tools = new Map(rt.spec.tools.map((t) => [t.name, t]));
  const validators = new Map<string, Validator>();

  server.setRequestHandler('tools/list', async () => ({ tools: rt.spec.tools.map(describeTool) }));

  server.setRequestHandler('tools/call', async (req, ctx) => {
    const tool = tools.get(req.params.name);
    if (!tool) throw new ProtocolError(INVALID_PARAMS, `Unknown tool: ${req.params.name}`);
    const input = (req.params.arguments ?? {}) as Record<string, unknown>;
    let validator = validators.get(tool.name);
    if (!validator) {
      validator = fromJsonSchema(tool.inputSchema as never);
      validators.set(tool.name, validator);
    }
    const checked = await validator['~standard'].validate(input);
    if (checked.issues) {
      const text = checked.issues.map((i) => i.message).join('; ');
      return {
        content: [{ type: 'text', text: `invalid arguments for ${tool.name}: ${text}` }],
        isError: true,
      };
    }
    const scope = rt.downstreams.scope();
    const call: CallContext = {
      chain: rt.spec,
      tool,
      defects: rt.defects,
      scope,
      meta: req.params._meta as Record<string, unknown> | undefined,
      signal: ctx.mcpReq.signal,
      template: { input, steps: new Map() },
    };
    try {
      return await runComposite(call);
    } catch (err) {
      return internalError(err, rt.defects) as CallToolResult;
    } finally {
      // Closed after the answer goes out; shutdown still waits for it (Downstreams.closeAll).
      void scope.close();
    }
  });
  return server;
}

function describeTool(t: CompositeTool): Tool {
  return {
    name: t.name,
    ...(t.title ? { title: t.title } : {}),
    description: t.description,
    inputSchema: t.inputSchema as Tool['inputSchema'],
  };
}
