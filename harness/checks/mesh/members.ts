import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { MockHandle } from '../../../mocks/server/handle.js';
import { validate } from '../../config/load.js';
import type { Endpoint } from '../../schema/target.js';
import type { CheckContext } from '../context.js';

/**
 * What the mesh checks share. In a mesh the harness is the host: one client
 * per server (`ctx.target.clients`). A member is backed by a fleet mock when
 * the target takes its servers from the fleet, or points at a mock's URL;
 * only those can be given faults. Others are judged through what the fleet
 * knows of the tools they list (stop.ts, known-failures.ts).
 */

export const MeshOptionsSchema = z
  .object({
    down: z
      .string()
      .min(1)
      .optional()
      .describe(
        'the member one-down-others-fine stops (default: the first fleet mock, else the first stdio server)',
      ),
  })
  .strict();
export type MeshOptions = z.output<typeof MeshOptionsSchema>;

/** `checks.mesh`, validated (INVALID_CONFIG listing every problem). */
export function meshOptions(ctx: CheckContext): MeshOptions {
  return validate(MeshOptionsSchema, ctx.options, 'checks.mesh');
}

export interface Member {
  name: string;
  client: Client;
  endpoint: Endpoint | undefined;
  /** The fleet mock behind it, when there is one. */
  mock: MockHandle | undefined;
}

export function members(ctx: CheckContext): Member[] {
  return [...ctx.target.clients].map(([name, client]) => {
    const endpoint = ctx.target.connections.get(name)?.endpoint;
    return { name, client, endpoint, mock: mockBehind(ctx, name, endpoint) };
  });
}

function mockBehind(ctx: CheckContext, name: string, endpoint: Endpoint | undefined): MockHandle | undefined {
  if (ctx.target.spec.fromFleet) return ctx.fleet.mocks.get(name);
  if (!endpoint || endpoint.transport === 'stdio') return undefined;
  return [...ctx.fleet.mocks.values()].find((m) => m.endpoint()?.url === endpoint.url);
}

/** Run `fn` for every member at once; the problems found, one line each. */
export async function eachMember(
  ms: readonly Member[],
  fn: (m: Member) => Promise<string | undefined>,
): Promise<string[]> {
  const out = await Promise.all(
    ms.map(async (m) => {
      try {
        return await fn(m);
      } catch (e) {
        return `${m.name}: ${(e as Error)?.message ?? String(e)}`;
      }
    }),
  );
  return out.filter((p): p is string => p !== undefined);
}

/** The name no fleet or real server is expected to have. */
export const UNKNOWN_TOOL = 'no_such_tool__mcp_harness';
