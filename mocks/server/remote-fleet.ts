import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { validate } from '../../harness/config/load.js';
import { HarnessError, type Problem } from '../../harness/errors.js';
import { FleetSpecSchema } from '../../harness/schema/fleet.js';
import type { Fleet, McpServerEntry } from './fleet.js';
import { jsonCall } from './json-http.js';
import type { MockEndpoint } from './mock.js';
import { type MockSnapshot, RemoteMockHandle } from './remote-handle.js';

/**
 * A fleet that already runs elsewhere (`mcp-harness mock --fleet conformance
 * --port-base N`), reached through its control API. The spec says what the
 * run expects of it; every server it names must be there on the same
 * transport. `start` and `stop` leave the fleet alone: it belongs to whoever
 * started it.
 */
export async function connectRemoteFleet(controlUrl: string, input: unknown): Promise<Fleet> {
  const spec = validate(FleetSpecSchema, input, 'fleet');
  const base = controlUrl.replace(/\/+$/, '');
  let listed: MockSnapshot[];
  try {
    listed = await jsonCall<MockSnapshot[]>(`${base}/mocks`, 'GET', undefined, 5_000);
  } catch (e) {
    throw new HarnessError(
      'SUT_UNREACHABLE',
      `the fleet's control API at ${base} did not answer (${(e as Error).message}); start it with mcp-harness mock --fleet conformance --port-base N`,
      { cause: e },
    );
  }
  const problems: Problem[] = [];
  const mocks = new Map<string, RemoteMockHandle>();
  for (const s of spec.servers) {
    const found = Array.isArray(listed) ? listed.find((m) => m.name === s.name) : undefined;
    if (!found) {
      const names = Array.isArray(listed) ? listed.map((m) => m.name).join(', ') : 'nothing';
      problems.push({
        path: `--fleet-at`,
        message: `the fleet at ${base} has no server '${s.name}' (it has ${names || 'none'})`,
      });
    } else if (found.transport !== s.transport) {
      problems.push({
        path: `--fleet-at`,
        message: `server '${s.name}' at ${base} uses ${found.transport}, the run expects ${s.transport}`,
      });
    } else mocks.set(s.name, new RemoteMockHandle(base, found));
  }
  if (problems.length > 0) {
    throw new HarnessError('INVALID_CONFIG', `the fleet at ${base} is not the one the checks need`, {
      problems,
    });
  }

  const fleet: Fleet = {
    spec,
    mocks,
    controlUrl: base,
    fleetFile: undefined,
    async start() {
      return [...mocks.values()].map(
        (m): MockEndpoint => m.endpoint() ?? { name: m.name, transport: m.transport },
      );
    },
    async stop() {},
    mcpServers() {
      // stdio servers are spawned by the gateway from the file the fleet's owner wrote; only URLs are known here.
      const out: Record<string, McpServerEntry> = {};
      for (const m of mocks.values()) {
        const url = m.endpoint()?.url;
        if (url && m.transport !== 'stdio') out[m.name] = { type: m.transport, url };
      }
      return { mcpServers: out };
    },
    async writeMcpServersFile(path) {
      const file = resolve(path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(fleet.mcpServers(), null, 2)}\n`);
      return file;
    },
  };
  return fleet;
}
