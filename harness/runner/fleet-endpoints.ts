import type { Fleet, McpServerEntry } from '../../mocks/server/fleet.js';
import { cliCommand } from '../../mocks/server/package-root.js';
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

/**
 * Placeholders a target can use to reach a running fleet: `{mcpServersFile}`,
 * `{controlUrl}`, `{fleetFile}`, `{harnessBin}` (so a launch recipe can spawn
 * one stdio mock itself: `node {harnessBin} mock --fleet {fleetFile} --server
 * NAME --stdio`) and `{fleet.NAME.url}` per HTTP/SSE mock.
 */
export function fleetPlaceholders(fleet: Fleet, mcpServersFile: string): Record<string, string> {
  const out: Record<string, string> = { mcpServersFile, harnessBin: cliCommand().args[0] as string };
  if (fleet.controlUrl) out.controlUrl = fleet.controlUrl;
  if (fleet.fleetFile) out.fleetFile = fleet.fleetFile;
  for (const [name, e] of Object.entries(fleetEndpoints(fleet))) {
    if (e.transport !== 'stdio') out[`fleet.${name}.url`] = e.url;
  }
  return out;
}
