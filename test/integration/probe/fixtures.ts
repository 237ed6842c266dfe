import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { checkProbeConfig, type ProbeConfig } from '../../../probes/index.js';

/** A small fleet the probe tests aim at: every transport, a paged list, an isError tool. */
export const PROBE_FLEET: FleetInput = {
  seed: 3,
  servers: [
    {
      name: 'web',
      transport: 'http',
      pageSize: 2,
      tools: [
        {
          name: 'echo',
          description: 'Echo the message',
          inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
          result: { text: 'echo: {{args.message}}', structuredContent: { said: '{{args.message}}' } },
        },
        {
          name: 'broken',
          description: 'Always fails',
          inputSchema: { type: 'object' },
          result: { isError: true, text: 'backend on fire' },
        },
        {
          name: 'slow',
          description: 'Never answers',
          inputSchema: { type: 'object' },
          result: { text: 'late' },
        },
        {
          name: 'big',
          description: 'A huge answer',
          inputSchema: { type: 'object' },
          result: { text: 'big' },
        },
        {
          name: 'extra',
          description: 'One more (third page)',
          inputSchema: { type: 'object' },
          result: { text: 'x' },
        },
      ],
      faults: [
        { type: 'hang', tools: ['slow'] },
        { type: 'large-payload', tools: ['big'], bytes: 3 * 1024 * 1024 },
      ],
    },
    {
      name: 'legacy',
      transport: 'sse',
      tools: [
        { name: 'ping', description: 'Ping', inputSchema: { type: 'object' }, result: { text: 'pong' } },
      ],
    },
    {
      name: 'local',
      transport: 'stdio',
      tools: [
        { name: 'ping', description: 'Ping', inputSchema: { type: 'object' }, result: { text: 'pong' } },
        {
          name: 'die',
          description: 'Kills the server',
          inputSchema: { type: 'object' },
          result: { text: 'never' },
        },
      ],
      faults: [{ type: 'crash', tools: ['die'] }],
    },
  ],
};

/** The fleet's endpoints as probe-config endpoints. */
export function endpointsOf(fleet: Fleet): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, e] of Object.entries(fleet.mcpServers().mcpServers)) {
    out[name] =
      'command' in e
        ? { transport: 'stdio', command: e.command, args: e.args, env: e.env }
        : { transport: e.type, url: e.url };
  }
  return out;
}

export interface TempDir {
  dir: string;
  write(name: string, data: unknown): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-probe-test-'));
  return {
    dir,
    async write(name, data) {
      const file = join(dir, name);
      await writeFile(file, typeof data === 'string' ? data : stringify(data));
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A checked config from data, as if read from DIR/probes.yaml. */
export function config(data: unknown, dir = tmpdir()): Promise<ProbeConfig> {
  return checkProbeConfig(data, join(dir, 'probes.yaml'));
}
