import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CallToolResult,
  Client,
  ClientOptions,
  Implementation,
  ProgressCallback,
  Tool,
} from '@modelcontextprotocol/client';
import { HarnessError, type Problem } from '../errors.js';
import type { Endpoint, LaunchSpec, Pattern, TargetSpec } from '../schema/target.js';
import { type ConnectEndpointOptions, type Connection, connectEndpoint } from './connect.js';
import { freePort, type Launched, launch, type Readiness } from './launch.js';
import { buildToolMap, mergeToolMaps, type NamingProblem, type ToolMap } from './naming.js';
import { envRefProblems, type Placeholders, renderDeep } from './placeholders.js';

/**
 * Open a target: render placeholders, launch the SUT if the target has a
 * recipe, connect (one client, or one per server in a mesh), list tools and
 * build the tool map. Everything opened is closed again on every failure path
 * and by `close()`.
 */

export interface OpenTargetOptions {
  /** Placeholder values: `mcpServersFile`, extra keys; `port` and `workDir` are created when absent. */
  placeholders?: Placeholders;
  /** The scenario fleet's endpoints, for a mesh with `fromFleet: true`. */
  fleetEndpoints?: Readonly<Record<string, Endpoint>>;
  /** Logical tool names the scenario will call; absent ones become 'missing' problems. */
  expectedTools?: readonly string[];
  clientInfo?: Implementation;
  clientOptions?: ClientOptions;
  signal?: AbortSignal;
  /** Environment for `${ENV_NAME}` references; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Sees every JSON-RPC message of the target's connections (`check --verbose`). */
  onMessage?: ConnectEndpointOptions['onMessage'];
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Sent as `params._meta` (e.g. `traceparent`, `progressToken`). */
  meta?: Record<string, unknown>;
  onprogress?: ProgressCallback;
}

export interface Target {
  /** The spec with every placeholder rendered. */
  readonly spec: TargetSpec;
  readonly pattern: Pattern;
  /** Placeholder values used (including the picked `port` and `workDir`). */
  readonly placeholders: Placeholders;
  /** `sut` for one endpoint; the server names for a mesh. */
  readonly clients: Map<string, Client>;
  readonly connections: Map<string, Connection>;
  /** Tool lists as last fetched, per client. */
  readonly tools: Map<string, Tool[]>;
  readonly toolMap: ToolMap;
  /** The launched SUT process, when the target has a launch recipe. */
  readonly launched: Launched | undefined;
  /** Where a logical tool goes: the client and the exposed name. */
  route(logical: string): { client: string; name: string } | undefined;
  /** Call a tool by its logical name. Throws ToolNotMappedError when the map has no unique exposed name. */
  callTool(logical: string, args?: Record<string, unknown>, opts?: CallOptions): Promise<CallToolResult>;
  /** List tools again (e.g. after list_changed) and rebuild the tool map. */
  refreshTools(): Promise<ToolMap>;
  /** Close every client and stop the launched process. Idempotent. */
  close(): Promise<void>;
}

/** A logical tool name the target cannot call: missing, duplicated or ambiguous on the SUT. */
export class ToolNotMappedError extends Error {
  readonly logical: string;
  readonly problems: NamingProblem[];
  constructor(logical: string, problems: NamingProblem[]) {
    const why =
      problems.length > 0 ? problems.map((p) => `${p.problem}: ${p.detail}`).join('; ') : 'not exposed';
    super(`tool '${logical}' cannot be called on the target (${why})`);
    this.name = 'ToolNotMappedError';
    this.logical = logical;
    this.problems = problems;
  }
}

export const SUT = 'sut';

export async function openTarget(spec: TargetSpec, opts: OpenTargetOptions = {}): Promise<Target> {
  const cleanup: Array<() => Promise<unknown>> = [];
  const runCleanup = async () => {
    const steps = cleanup.splice(0).reverse();
    for (const step of steps) await step().catch(() => {});
  };
  try {
    const values: Record<string, string | number> = { ...opts.placeholders };
    if (!Object.hasOwn(values, 'port')) values.port = await freePort();
    if (!Object.hasOwn(values, 'workDir')) {
      const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-target-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      values.workDir = dir;
    }

    const rendered = renderSpec(spec, values);
    const endpoints = endpointsOf(rendered, opts.fleetEndpoints);
    const envProblems = endpoints.flatMap(([, e, path]) =>
      e.transport === 'stdio'
        ? envRefProblems(e.env, `${path}.env`, opts.env)
        : envRefProblems(e.headers, `${path}.headers`, opts.env),
    );
    if (envProblems.length > 0) {
      throw new HarnessError('INVALID_CONFIG', `${envProblems.length} missing environment variable(s)`, {
        problems: envProblems,
      });
    }

    const connectOpts = (label: string) => ({
      timeoutMs: rendered.timeoutMs,
      protocol: rendered.protocol,
      clientInfo: opts.clientInfo,
      clientOptions: opts.clientOptions,
      signal: opts.signal,
      env: opts.env,
      onMessage: opts.onMessage,
      label,
    });

    let launched: Launched | undefined;
    if (rendered.launch) {
      launched = await launch(rendered.launch, {
        ready: readiness(rendered.launch, endpoints, connectOpts),
        signal: opts.signal,
      });
      const l = launched;
      cleanup.push(() => l.stop());
    }

    const connections = await connectAll(endpoints, connectOpts);
    for (const c of connections.values()) cleanup.push(() => c.close());

    const clients = new Map([...connections].map(([k, c]) => [k, c.client]));
    const tools = new Map<string, Tool[]>();
    let toolMap = await listAndMap(rendered, connections, tools, opts.expectedTools ?? []);

    let closing: Promise<void> | undefined;
    const target: Target = {
      spec: rendered,
      pattern: rendered.pattern,
      placeholders: values,
      clients,
      connections,
      tools,
      get toolMap() {
        return toolMap;
      },
      launched,
      route: (logical) => toolMap.route(logical),
      async callTool(logical, args = {}, callOpts = {}) {
        const r = toolMap.route(logical);
        if (!r) throw new ToolNotMappedError(logical, problemsOf(toolMap, logical));
        const client = clients.get(r.client) as Client;
        return client.callTool(
          { name: r.name, arguments: args, ...(callOpts.meta ? { _meta: callOpts.meta } : {}) },
          {
            timeout: callOpts.timeoutMs ?? rendered.timeoutMs,
            signal: callOpts.signal,
            onprogress: callOpts.onprogress,
          },
        );
      },
      async refreshTools() {
        toolMap = await listAndMap(rendered, connections, tools, opts.expectedTools ?? []);
        return toolMap;
      },
      close() {
        closing ??= runCleanup();
        return closing;
      },
    };
    return target;
  } catch (err) {
    await runCleanup();
    throw err;
  }
}

/** Render placeholders in the endpoint(s) and launch recipe; every unknown placeholder is one problem. */
function renderSpec(spec: TargetSpec, values: Placeholders): TargetSpec {
  const parts = renderDeep({ endpoint: spec.endpoint, servers: spec.servers, launch: spec.launch }, values);
  return { ...spec, ...parts };
}

type Named = [key: string, endpoint: Endpoint, path: string];

function endpointsOf(spec: TargetSpec, fleet: Readonly<Record<string, Endpoint>> | undefined): Named[] {
  if (spec.pattern !== 'mesh') {
    if (!spec.endpoint) throw new HarnessError('INVALID_CONFIG', `pattern ${spec.pattern} needs an endpoint`);
    return [[SUT, spec.endpoint, 'endpoint']];
  }
  if (spec.fromFleet) {
    if (!fleet || Object.keys(fleet).length === 0) {
      throw new HarnessError('INVALID_CONFIG', 'the target uses fromFleet: true but no fleet is running', {
        problems: [
          { path: 'fromFleet', message: 'needs a scenario with a fleet (no fleet endpoints were given)' },
        ],
      });
    }
    return Object.entries(fleet).map(([name, e]) => [name, e, `fleet.${name}`]);
  }
  return Object.entries(spec.servers ?? {}).map(([name, e]) => [name, e, `servers.${name}`]);
}

type ConnectOptsFor = (label: string) => Parameters<typeof connectEndpoint>[1];

function readiness(l: LaunchSpec, endpoints: Named[], connectOpts: ConnectOptsFor): Readiness {
  const ready = l.ready;
  if (ready?.http !== undefined) return { kind: 'http', url: ready.http };
  if (ready?.log !== undefined) return { kind: 'log', pattern: new RegExp(ready.log) };
  const remote = endpoints.filter(([, e]) => e.transport !== 'stdio');
  const probed = ready ? endpoints : remote;
  if (probed.length === 0) return { kind: 'spawned' };
  return {
    kind: 'handshake',
    probe: async (signal) => {
      for (const [, e, path] of probed) {
        const c = await connectEndpoint(e, { ...connectOpts(path), timeoutMs: 2000, signal });
        await c.close();
      }
    },
  };
}

async function connectAll(endpoints: Named[], connectOpts: ConnectOptsFor): Promise<Map<string, Connection>> {
  const settled = await Promise.allSettled(
    endpoints.map(([, e, path]) => connectEndpoint(e, connectOpts(path))),
  );
  const connections = new Map<string, Connection>();
  const failures: Array<{ path: string; error: unknown }> = [];
  settled.forEach((s, i) => {
    const [key, , path] = endpoints[i] as Named;
    if (s.status === 'fulfilled') connections.set(key, s.value);
    else failures.push({ path, error: s.reason });
  });
  if (failures.length === 0) return connections;
  await Promise.allSettled([...connections.values()].map((c) => c.close()));
  const first = failures[0]?.error;
  if (failures.length === 1 && first instanceof HarnessError) throw first;
  // Several servers failed: one error, one problem per server; a config error wins over unreachability.
  const config = failures.find((f) => f.error instanceof HarnessError && f.error.code === 'INVALID_CONFIG');
  if (config) throw config.error;
  const problems: Problem[] = failures.map((f) => ({ path: f.path, message: (f.error as Error).message }));
  throw new HarnessError(
    'SUT_UNREACHABLE',
    `${failures.length} of ${endpoints.length} servers could not be reached`,
    {
      problems,
    },
  );
}

async function listAndMap(
  spec: TargetSpec,
  connections: Map<string, Connection>,
  tools: Map<string, Tool[]>,
  expected: readonly string[],
): Promise<ToolMap> {
  await Promise.all(
    [...connections].map(async ([key, c]) => {
      try {
        // Without a cursor the SDK walks every page (following nextCursor) and aggregates.
        const res = await c.client.listTools(undefined, { timeout: spec.timeoutMs });
        tools.set(key, res.tools);
      } catch (cause) {
        throw new HarnessError(
          'SUT_UNREACHABLE',
          `${key === SUT ? 'the SUT' : key}: tools/list failed: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
    }),
  );
  if (spec.pattern !== 'mesh') return buildToolMap(tools.get(SUT) ?? [], spec.naming, expected);
  const maps = [...connections.keys()].map((server) =>
    buildToolMap(tools.get(server) ?? [], spec.naming, [], { server, client: server }),
  );
  return mergeToolMaps(maps, expected);
}

function problemsOf(map: ToolMap, logical: string): NamingProblem[] {
  return map.problems.filter(
    (p) => p.logical === logical || (p.problem === 'ambiguous' && p.detail.includes(`'${logical}'`)),
  );
}
