import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientOptions, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import {
  type GatewayOptions,
  type RunningGateway,
  startGateway,
} from '../../../mocks/patterns/gateway/index.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * Mock fleets behind in-process reference gateways, reached by real SDK
 * clients over Streamable HTTP. Everything a test opens is registered and
 * closed by the matching `stop()`.
 */

export type GatewayTestOptions = Omit<GatewayOptions, 'mcpServers'> & {
  /** The `gateway` settings key of the mcpServers document. */
  gateway?: Record<string, unknown>;
  /** Extra mcpServers entries (servers that are not fleet mocks). */
  extra?: Record<string, unknown>;
};

export interface GatewayHandle {
  gateway: RunningGateway;
  url: string;
  /** A new upstream client session (closed by stop()). */
  connect(options?: ClientOptions, headers?: Record<string, string>): Promise<Client>;
  stop(): Promise<void>;
}

/** A gateway in front of a running fleet (its mcpServers file already written). */
export async function gatewayOn(
  fleet: Fleet,
  file: string,
  options: GatewayTestOptions = {},
): Promise<GatewayHandle> {
  const { gateway: settings, extra, ...gwOptions } = options;
  const doc =
    settings || extra
      ? {
          mcpServers: { ...fleet.mcpServers().mcpServers, ...extra },
          ...(settings ? { gateway: settings } : {}),
        }
      : undefined;
  const gateway = await startGateway({ log: () => {}, ...gwOptions, mcpServers: doc ?? file });
  const clients: Client[] = [];
  return {
    gateway,
    url: gateway.url!,
    async connect(clientOptions, headers) {
      const client = new Client({ name: 'gw-test', version: '0.0.0' }, clientOptions);
      clients.push(client);
      await client.connect(
        new StreamableHTTPClientTransport(new URL(gateway.url!), { requestInit: { headers } }),
      );
      return client;
    },
    async stop() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await gateway.close();
    },
  };
}

export interface FleetHandle {
  fleet: Fleet;
  file: string;
  stop(): Promise<void>;
}

/** Start a fleet and write its mcpServers file into a temporary directory. */
export async function fleetWithFile(input: FleetInput): Promise<FleetHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-gw-'));
  const fleet = await startFleet(input);
  const file = await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
  return {
    fleet,
    file,
    async stop() {
      await fleet.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface GatewayRig extends GatewayHandle {
  fleet: Fleet;
  file: string;
}

/** A fleet plus one gateway in front of it. */
export async function startRig(input: FleetInput, options: GatewayTestOptions = {}): Promise<GatewayRig> {
  const f = await fleetWithFile(input);
  try {
    const g = await gatewayOn(f.fleet, f.file, options);
    return {
      ...g,
      fleet: f.fleet,
      file: f.file,
      async stop() {
        await g.stop();
        await f.stop();
      },
    };
  } catch (e) {
    await f.stop();
    throw e;
  }
}

/** Text of the first text block of a tool result. */
export function textOf(result: { content?: unknown }): string {
  const blocks = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return blocks.find((b) => b.type === 'text')?.text ?? '';
}

/** The error a promise rejects with (throws when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: number; data?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: number };
  }
  throw new Error('expected a rejection, got a result');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A JSON-RPC initialize body, for raw HTTP probes. */
export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};
