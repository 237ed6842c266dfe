import { z } from 'zod';
import type { FleetSpec } from '../../harness/schema/fleet.js';
import { urlHost } from '../transports/http-host.js';

/**
 * Where a fleet listens so a gateway elsewhere (a container, another host)
 * can reach it: one listen address for every HTTP/SSE mock and the control
 * API, fixed ports from a base, and the host name written into the
 * mcpServers file.
 */
export const FleetPlacementSchema = z
  .object({
    host: z
      .string()
      .min(1)
      .optional()
      .describe('listen address of the HTTP/SSE mocks and the control API (default 127.0.0.1)'),
    advertise: z
      .string()
      .min(1)
      .optional()
      .describe('host name written into the mcpServers file and the control URL (default: the listen host)'),
    portBase: z.coerce
      .number()
      .int()
      .min(1)
      .max(65_000)
      .optional()
      .describe('fixed ports: the control API on portBase, server i (fleet order) on portBase + 1 + i'),
  })
  .strict();
export type FleetPlacement = z.infer<typeof FleetPlacementSchema>;

/** The spec with each HTTP/SSE server's listen address and fixed port set (a port the file fixes is kept). */
export function placeFleet(spec: FleetSpec, placement: FleetPlacement): FleetSpec {
  if (placement.host === undefined && placement.portBase === undefined) return spec;
  return {
    ...spec,
    servers: spec.servers.map((s, i) => {
      if (s.transport === 'stdio') return s;
      const port =
        s.http.port === 0 && placement.portBase !== undefined ? placement.portBase + 1 + i : s.http.port;
      const host = placement.host ?? s.http.host;
      return { ...s, http: { ...s.http, port, ...(host ? { host } : {}) } };
    }),
  };
}

/** The host a client elsewhere uses: the advertised name, else the listen address (wildcards: loopback). */
export function reachableHost(placement: FleetPlacement): string {
  return placement.advertise ?? urlHost(placement.host ?? '127.0.0.1');
}

/** A URL served by this fleet, with its host replaced by the advertised one. */
export function advertisedUrl(url: string, placement: FleetPlacement): string {
  if (placement.advertise === undefined) return url;
  const u = new URL(url);
  u.hostname = placement.advertise;
  return u.toString();
}
