import type { CheckContext } from './context.js';
import { resolveTools } from './needs.js';
import { type Check, skip, type Verdict } from './types.js';

/**
 * What a check declares it needs, checked before it runs. An unmet need of
 * the target (a mesh has no single endpoint, the SUT is not reached over
 * Streamable HTTP, the fleet behind it has too few servers) is a `skip`; an
 * unmet need the SUT is to blame for (a tool it does not expose, a name two
 * tools claim) is `blocked`, naming the condition. A check that declares its
 * needs starts with them met.
 */
export interface Needs {
  /** `single`: one endpoint to open sessions to (not a mesh); `http`: reached over Streamable HTTP. */
  endpoint?: 'single' | 'http';
  /** Logical `server.tool`s the check calls through the SUT. */
  tools?: readonly string[];
  /** How many fleet servers must be behind the SUT (e.g. 2 for "the others keep working"). */
  servers?: number;
}

/** The verdict of the first unmet need, or undefined when every need is met. */
export async function preflight(c: Check, ctx: CheckContext): Promise<Verdict | undefined> {
  const needs = c.needs;
  if (!needs) return undefined;
  if (needs.endpoint && !ctx.endpoint) return skip('the target has no single endpoint (a mesh)');
  if (needs.endpoint === 'http' && ctx.endpoint?.transport !== 'http')
    return skip('the SUT is not reached over Streamable HTTP');
  const servers = ctx.fleet.spec.servers.length;
  if (needs.servers !== undefined && servers < needs.servers)
    return skip(`${servers} server(s) behind the SUT; the check needs ${needs.servers}`);
  if (needs.tools?.length) {
    const r = await resolveTools(ctx, needs.tools);
    if (!r.names) return r.verdict;
  }
  return undefined;
}

/** `needs` in one line, for `check --list` and docs/checks.md. */
export function describeNeeds(needs: Needs | undefined): string {
  if (!needs) return '';
  return [
    needs.endpoint === 'http' ? 'Streamable HTTP' : needs.endpoint ? 'one endpoint' : '',
    needs.servers ? `${needs.servers}+ servers` : '',
    ...(needs.tools ?? []),
  ]
    .filter(Boolean)
    .join(', ');
}
