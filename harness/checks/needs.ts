import { nowUs } from '../measure/clock.js';
import { type CodeMode, codeModeReason } from '../target/access-detect.js';
import type { AccessRoutes } from '../target/access-routes.js';
import { splitLogical } from '../target/naming.js';
import type { Target } from '../target/target.js';
import type { CheckContext } from './context.js';
import { predictedNames } from './predicted-names.js';
import type { Session } from './session.js';
import { blocked, skip, type Verdict } from './types.js';

/**
 * What a check needs from the SUT, and what to say when it cannot have it.
 * A tool the fleet does not serve is a `skip` (the target cannot be asked);
 * a tool the SUT does not expose, or exposes under a name shared with another
 * tool, is `blocked` (a finding about the SUT, named in the result). Before
 * giving up on an unlisted tool, it is called by the names the naming rule
 * and the SUT's own listed names predict (predicted-names.ts): many gateways
 * route names they do not list, and the mock's call log says whether the
 * call arrived. On a code-mode/tool-search gateway (meta-tools instead of
 * the fleet's tools) a tool reached neither way is a `skip` with that reason,
 * unless the target has an access adapter: then tools are reached through it.
 */

export type Resolved =
  | { names: string[]; missing?: undefined; verdict?: undefined }
  | { names?: undefined; missing: string; verdict: Verdict };

/** Tools reached by their predicted name although the SUT does not list them, per opened target. */
const unlistedRoutes = new WeakMap<Target, Map<string, string>>();

/**
 * The exposed name of a logical tool: listed and mapped, reached unlisted by
 * its predicted name, or (with an access adapter) the adapter's name for it.
 */
export function exposedName(target: Target, logical: string, access?: AccessRoutes): string | undefined {
  return target.route(logical)?.name ?? unlistedRoutes.get(target)?.get(logical) ?? access?.route(logical);
}

/** Why the tool map cannot give `logical` one exposed name (two tools claim it, or a name is ambiguous). */
export function mappingConflict(ctx: CheckContext, logical: string): string | undefined {
  const hits = ctx.toolMap.problems.filter(
    (p) =>
      (p.problem === 'duplicate' && p.logical === logical) ||
      (p.problem === 'ambiguous' && p.detail.includes(`'${logical}'`)),
  );
  if (hits.length === 0) return undefined;
  return [...new Set(hits.map((p) => p.detail))].join('; ');
}

/** The other fleet tools (`server.tool`) the SUT lists under `name` too, on the same connection. */
function sharing(ctx: CheckContext, logical: string, name: string): string[] {
  const mine = ctx.toolMap.entries.find((e) => e.logical === logical && e.exposed === name);
  return ctx.toolMap.entries
    .filter((e) => e.exposed === name && e.logical !== logical && (!mine || e.client === mine.client))
    .map((e) => e.logical)
    .filter((l) => splitLogical(l).server !== undefined);
}

/** Call `name` with no arguments and see whether the fleet's `server` received a call of `tool`. */
async function reachesUnlisted(
  ctx: CheckContext,
  session: Session,
  name: string,
  server: string,
  tool: string,
): Promise<boolean> {
  const since = nowUs();
  await session.call(name, {}, { timeoutMs: Math.min(ctx.timeoutMs, 5_000), signal: ctx.signal });
  const calls = await ctx.mock(server).calls({ tool, since });
  return calls.length > 0;
}

async function lookup(ctx: CheckContext, logical: string, probe: boolean): Promise<Resolved> {
  const { server, tool } = splitLogical(logical);
  if (!server || !ctx.fleet.mocks.has(server)) {
    const why = `the fleet has no server for '${logical}'`;
    return { missing: why, verdict: skip(why) };
  }
  const name = exposedName(ctx.target, logical, ctx.access);
  if (name) {
    const shared = sharing(ctx, logical, name);
    if (shared.length === 0) return { names: [name] };
    // Two logical tools listed under one name: a call by that name reaches one of them only.
    const why = `'${logical}' shares its exposed name '${name}' with ${shared.map((l) => `'${l}'`).join(', ')}`;
    return { missing: why, verdict: blocked(why, 'tool mapping') };
  }
  const conflict = mappingConflict(ctx, logical) ?? ctx.access?.conflict(logical);
  if (conflict) {
    const why = `'${logical}' has no single exposed name: ${conflict}`;
    return { missing: why, verdict: blocked(why, 'tool mapping') };
  }
  if (ctx.access) {
    const why = ctx.access.error
      ? `the access adapter could not list the SUT's tools: ${ctx.access.error}`
      : `the SUT does not expose '${logical}' (its access adapter lists no such tool)`;
    return { missing: why, verdict: blocked(why, 'access adapter') };
  }
  if (probe && ctx.session) {
    const listed = new Set(ctx.toolMap.entries.map((e) => e.exposed));
    for (const name of predictedNames(ctx.target.spec.naming, ctx.toolMap.entries, server, tool)) {
      // A listed name belongs to another tool: calling it proves nothing about this one.
      if (listed.has(name)) continue;
      if (!(await reachesUnlisted(ctx, ctx.session, name, server, tool).catch(() => false))) continue;
      const routes = unlistedRoutes.get(ctx.target) ?? new Map<string, string>();
      routes.set(logical, name);
      unlistedRoutes.set(ctx.target, routes);
      return { names: [name] };
    }
  }
  // A code-mode SUT lists meta-tools instead: skip, once the tool was looked for again and by its predicted name.
  if (ctx.codeMode && probe) {
    const why = codeModeReason(ctx.codeMode);
    return { missing: why, verdict: skip(why) };
  }
  const why = `the SUT does not expose '${logical}'`;
  return { missing: why, verdict: blocked(why, 'gateway.tools-exposed-once') };
}

/**
 * The exposed names of logical `server.tool`s, or why a check cannot use them
 * (with the verdict to return). A tool missing from the map made when the SUT
 * was opened (a slow backend left out of that first listing) is looked for
 * once more in a fresh listing, then by its predicted name.
 */
export async function resolveTools(ctx: CheckContext, logical: readonly string[]): Promise<Resolved> {
  const names: string[] = [];
  let refreshed = false;
  for (const l of logical) {
    let r = await lookup(ctx, l, false);
    if (!r.names && r.verdict.status === 'blocked') {
      // One fresh listing per call (a slow backend left out of the first), then the predicted names.
      if (!refreshed) await ctx.target.refreshTools().catch(() => {});
      refreshed = true;
      r = await lookup(ctx, l, true);
    }
    if (!r.names) return r;
    names.push(...r.names);
  }
  return { names };
}

/** Those of `logical` the fleet and SUT both have, with their exposed names (optional extras). */
export async function available(
  ctx: CheckContext,
  logical: readonly string[],
): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const l of logical) {
    const r = await resolveTools(ctx, [l]);
    if (r.names) out.push([l, r.names[0] as string]);
  }
  return out;
}

/** A warm-up call that failed: the check cannot judge what it is about. */
export function warmUpFailed(what: string, observed: string): Verdict {
  return blocked(`${what} does not work to begin with: ${observed}`, 'warm-up call');
}

/** Thrown by `ctx.exposed` when a check asks for a fleet tool a code-mode SUT hides (no access adapter). */
export class DirectToolHidden extends Error {
  constructor(readonly codeMode: CodeMode) {
    super(codeModeReason(codeMode));
    this.name = 'DirectToolHidden';
  }
}

/**
 * Per check, on a code-mode SUT without an access adapter: a check that asks
 * for a fleet tool's exposed name (it gets DirectToolHidden, and stops there)
 * or reads the SUT's tool list to compare with the fleet, and then does not
 * pass, is skipped with the code-mode reason: it needed direct tools.
 */
export function directToolGuard(
  codeMode: CodeMode | undefined,
  hasAccess: boolean,
  fleetServers: Set<string>,
) {
  const active = codeMode !== undefined && !hasAccess;
  let needed = false;
  return {
    exposed(logical: string, name: string | undefined): string | undefined {
      const server = splitLogical(logical).server;
      if (!active || name !== undefined || !server || !fleetServers.has(server)) return name;
      needed = true;
      throw new DirectToolHidden(codeMode as CodeMode);
    },
    onCatalogue: active
      ? () => {
          needed = true;
        }
      : undefined,
    verdict(v: Verdict, error?: unknown): Verdict {
      if (!active) return v;
      if (error instanceof DirectToolHidden) return skip(error.message);
      return needed && (v.status === 'fail' || v.status === 'blocked') ? skip(codeModeReason(codeMode)) : v;
    },
  };
}
