import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { validate } from '../../harness/config/load.js';
import { type FleetSpec, FleetSpecSchema } from '../../harness/schema/fleet.js';
import { buildControlApi } from './control-api.js';
import { localHandle, type MockHandle } from './handle.js';
import { hostFor } from './hosts.js';
import { Mock, type MockEndpoint } from './mock.js';
import { cliCommand } from './package-root.js';
import { advertisedUrl, type FleetPlacement, placeFleet, reachableHost } from './remote-placement.js';
import { StdioMockProxy } from './stdio-proxy.js';

export interface FleetOptions extends FleetPlacement {
  /** Only these servers (default: all). */
  only?: string[];
  /** Port of the control API (default: any free port). */
  controlPort?: number;
  /**
   * The fleet file stdio mocks are started from. Without it, the resolved
   * fleet is written as JSON next to the mcpServers file (TS tool handlers
   * cannot cross into a child process that way: give the file instead).
   */
  fleetFile?: string;
  /** How the mcpServers file starts a stdio mock (default: this CLI through node), e.g. `npx mcp-harness`. */
  stdioCommand?: { command: string; args: string[] };
  /** What the stdio commands pass as `--fleet` (default: the fleet file), e.g. `conformance`. */
  fleetRef?: string;
}

/** One entry of the standard host config: a command to spawn, or a URL to connect to. */
export type McpServerEntry =
  | { command: string; args: string[]; env: Record<string, string> }
  | { type: 'http' | 'sse'; url: string };

export interface Fleet {
  readonly spec: FleetSpec;
  readonly mocks: Map<string, MockHandle>;
  readonly controlUrl: string | undefined;
  /** The fleet file stdio mocks are started from (given, or written next to the mcpServers file). */
  readonly fleetFile: string | undefined;
  start(): Promise<MockEndpoint[]>;
  stop(): Promise<void>;
  /** The standard `{"mcpServers": {...}}` document describing the running fleet. */
  mcpServers(): { mcpServers: Record<string, McpServerEntry> };
  /** Write the mcpServers file (and the fleet JSON stdio mocks read, when needed); returns its path. */
  writeMcpServersFile(path: string): Promise<string>;
}

/** Build a fleet runtime from its spec: `createFleet(spec)` → `{start, stop}`. */
export function createFleet(input: unknown, options: FleetOptions = {}): Fleet {
  const spec = placeFleet(validate(FleetSpecSchema, input, 'fleet'), options);
  const servers = options.only ? spec.servers.filter((s) => options.only!.includes(s.name)) : spec.servers;
  const mocks = new Map<string, MockHandle>();
  for (const s of servers) {
    mocks.set(
      s.name,
      s.transport === 'stdio' ? new StdioMockProxy(s) : localHandle(new Mock(s, spec.seed, hostFor)),
    );
  }
  let control: FastifyInstance | undefined;
  let controlUrl: string | undefined;
  let fleetFile = options.fleetFile ? resolve(options.fleetFile) : undefined;

  const fleet: Fleet = {
    spec,
    mocks,
    get controlUrl() {
      return controlUrl;
    },
    get fleetFile() {
      return fleetFile;
    },
    async start() {
      control = buildControlApi(mocks);
      const listened = await control.listen({
        host: options.host ?? '127.0.0.1',
        port: options.controlPort ?? options.portBase ?? 0,
      });
      controlUrl = `http://${reachableHost(options)}:${new URL(listened).port}`;
      const endpoints: MockEndpoint[] = [];
      try {
        for (const m of mocks.values()) {
          const ep = await m.start();
          endpoints.push(ep ?? { name: m.name, transport: 'stdio' });
        }
      } catch (e) {
        await fleet.stop();
        throw e;
      }
      return endpoints;
    },
    async stop() {
      await Promise.allSettled([...mocks.values()].map((m) => m.stop()));
      await control?.close();
      control = undefined;
    },
    mcpServers() {
      const out: Record<string, McpServerEntry> = {};
      for (const m of mocks.values()) {
        if (m.transport === 'stdio') {
          const cli = options.stdioCommand ?? cliCommand();
          out[m.name] = {
            command: cli.command,
            args: [
              ...cli.args,
              'mock',
              '--fleet',
              options.fleetRef ?? fleetFile ?? '(fleet file not written yet)',
              '--server',
              m.name,
              '--stdio',
            ],
            env: controlUrl ? { MCP_HARNESS_CONTROL: controlUrl } : {},
          };
        } else {
          const ep = m.endpoint();
          const url = ep?.url && advertisedUrl(ep.url, options);
          if (url) out[m.name] = { type: m.transport === 'sse' ? 'sse' : 'http', url };
        }
      }
      return { mcpServers: out };
    },
    async writeMcpServersFile(path) {
      const file = resolve(path);
      await mkdir(dirname(file), { recursive: true });
      if (!fleetFile && !options.fleetRef && [...mocks.values()].some((m) => m.transport === 'stdio')) {
        fleetFile = resolve(dirname(file), 'fleet.resolved.json');
        await writeFile(fleetFile, JSON.stringify(spec, null, 2));
      }
      await writeFile(file, `${JSON.stringify(fleet.mcpServers(), null, 2)}\n`);
      return file;
    },
  };
  return fleet;
}
