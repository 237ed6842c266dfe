import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { parseDefects } from './defects.js';
import { Downstreams } from './downstream.js';
import { serveHttp } from './http.js';
import { endpointsOf, loadMcpServers, type McpServersInput } from './mcp-servers.js';
import { type ChainInput, type ChainSpec, checkServers, loadChain } from './schema.js';
import { buildChainServer, type ChainRuntime } from './server.js';

/**
 * The reference chain server: an MCP server whose composite tools call the
 * downstream servers of an mcpServers file, per a chain definition. Built on
 * the official SDK; `defects` switch on one real-world bug each (defects.ts).
 */

export { CHAIN_DEFECT_NAMES, CHAIN_DEFECTS, type ChainDefect } from './defects.js';
export { McpServersFileSchema } from './mcp-servers.js';
export { type ChainInput, type ChainSpec, ChainSpecSchema, loadChain } from './schema.js';

export interface ChainOptions {
  /** The mcpServers file (path) or its content. */
  mcpServers: string | McpServersInput;
  /** The chain definition (YAML/JSON path) or its content. */
  chain: string | ChainInput;
  /** Upstream transport; default http (Streamable HTTP, stateful). */
  transport?: 'http' | 'stdio';
  /** HTTP port; 0 (default) picks a free one. */
  port?: number;
  defects?: readonly string[];
  /** stdio only: the streams to serve on (default: this process's stdin/stdout). */
  stdio?: { stdin: Readable; stdout: Writable };
}

export interface ChainHandle {
  /** `http://127.0.0.1:PORT/mcp` when served over HTTP. */
  url?: string;
  spec: ChainSpec;
  /** Stop serving and close every downstream connection. Idempotent. */
  close(): Promise<void>;
}

/** Validate the inputs (INVALID_CONFIG / INVALID_ARGS list every problem), then serve. */
export async function startChain(options: ChainOptions): Promise<ChainHandle> {
  const defects = parseDefects(options.defects);
  const servers = await loadMcpServers(options.mcpServers);
  const spec = await loadChain(options.chain);
  const endpoints = endpointsOf(servers);
  checkServers(spec, new Set(endpoints.keys()), typeof options.chain === 'string' ? options.chain : 'chain');
  const rt: ChainRuntime = {
    spec,
    defects,
    downstreams: new Downstreams(endpoints, {
      clientInfo: { name: spec.name, version: spec.version },
      shared: defects.has('shared-client'),
    }),
  };

  let closing: Promise<void> | undefined;
  const closeWith = (stopServing: () => Promise<void>) => () => {
    closing ??= (async () => {
      await stopServing().catch(() => undefined);
      await rt.downstreams.closeAll();
    })();
    return closing;
  };

  if (options.transport === 'stdio') {
    const server = buildChainServer(rt);
    const io = options.stdio ?? { stdin: process.stdin, stdout: process.stdout };
    await server.connect(new StdioServerTransport(io.stdin, io.stdout));
    return { spec, close: closeWith(() => server.close()) };
  }
  const face = await serveHttp(() => buildChainServer(rt), options.port ?? 0);
  return { url: face.url, spec, close: closeWith(() => face.close()) };
}
