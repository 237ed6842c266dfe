import type { Fleet, McpServerEntry } from '../../mocks/server/fleet.js';
import type { Endpoint } from '../schema/target.js';

/** The target endpoint for one entry of the fleet's mcpServers document (a mesh connects to these). */
export function endpointOf(entry: McpServerEntry): Endpoint {
  if ('command' in entry)
    return { transport: 'stdio', command: entry.command, args: entry.args, env: entry.env };
  return { transport: entry.type, url: entry.url, headers: {} };
}

/** Every running fleet server as a target endpoint (call after `writeMcpServersFile` for stdio servers). */
export function fleetEndpoints(fleet: Fleet): Record<string, Endpoint> {
  return Object.fromEntries(
    Object.entries(fleet.mcpServers().mcpServers).map(([name, e]) => [name, endpointOf(e)]),
  );
}
