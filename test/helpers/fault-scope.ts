import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { FleetInput } from '../../harness/schema/fleet.js';
import type { Fleet } from '../../mocks/server/fleet.js';
import { alive, connectTo, eventually, startFleet } from './mocks.js';

type Server = FleetInput['servers'][number];

/**
 * One-server fleets and clients for the fault test files: everything a test
 * opens is closed after it, and after the file every stdio mock it spawned
 * must be gone.
 */
export function faultScope(prefix: string) {
  let dir = '';
  const fleets: Fleet[] = [];
  const clients: Client[] = [];
  const pids: number[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
    await Promise.allSettled(fleets.splice(0).map((f) => f.stop()));
  });
  afterAll(async () => {
    await eventually(() => pids.every((p) => !alive(p)), 5_000);
    await rm(dir, { recursive: true, force: true });
  });
  return {
    /** PIDs of the stdio mocks the clients spawned. */
    pids,
    async fleetOf(server: Server, seed = 1): Promise<Fleet> {
      const fleet = await startFleet({ seed, servers: [server] });
      fleets.push(fleet);
      if (server.transport === 'stdio') {
        await fleet.writeMcpServersFile(join(dir, `${fleets.length}-${server.name}`, 'mcpServers.json'));
      }
      return fleet;
    },
    async clientOf(fleet: Fleet, name = 'm'): Promise<Client> {
      const client = await connectTo(fleet, name);
      clients.push(client);
      const transport = client.transport;
      const pid = transport && 'pid' in transport ? (transport as StdioClientTransport).pid : null;
      if (pid !== null) pids.push(pid);
      return client;
    },
  };
}

/** Where a promise stands after `ms`: resolved, rejected, or still pending. */
export async function settleWithin<T>(p: Promise<T>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<{ state: 'pending' }>((r) => {
    timer = setTimeout(() => r({ state: 'pending' }), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (value) => ({ state: 'resolved' as const, value }),
        (error: unknown) => ({ state: 'rejected' as const, error: error as Error }),
      ),
      pending,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
