import { nowUs } from '../../measure/clock.js';
import { describeOutcome } from '../../runner/outcome.js';
import type { CallRecord } from '../../schema/call-log.js';
import { describeError } from '../../target/connect.js';
import { resolveEnvRefs } from '../../target/placeholders.js';
import { resolveTools, warmUpFailed } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';

export const BEARER_SECRET = 'mcp-harness-secret';
export const COOKIE_SECRET = 'mcp-harness-cookie-secret';

/**
 * The client's credentials are for the SUT alone: a gateway that passes the
 * upstream token or cookie on to its backends hands them to third parties.
 */
export const credentialsNotForwarded = check({
  id: 'security.credentials-not-forwarded',
  title: "the client's Authorization and Cookie headers do not reach downstream servers",
  suite: 'security',
  specRef:
    'MCP 2025-11-25 basic/authorization §Access Token Privilege Restriction; basic/security_best_practices §Token Passthrough',
  severity: 'must',
  expected: `a call made in a session opened with Authorization: Bearer ${BEARER_SECRET} and a Cookie reaches alpha.echo with neither value in any header`,
  async run(ctx) {
    const ep = ctx.endpoint;
    if (!ep || ep.transport === 'stdio')
      return skip('the SUT is not reached over HTTP: no headers to forward');
    if (ctx.fleet.mocks.get('alpha')?.transport !== 'http') {
      return skip('alpha is not an HTTP server here: there are no downstream headers to look at');
    }
    const resolved = await resolveTools(ctx, ['alpha.echo']);
    if (!resolved.names) return resolved.verdict;
    const tool = resolved.names[0] as string;
    // A target that needs its own Authorization keeps it: then that token is the one that must stay put.
    const own = resolveEnvRefs(ep.headers, 'endpoint.headers');
    const ownAuth = Object.entries(own).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    const headers: Record<string, string> = { Cookie: `mcp_harness_session=${COOKIE_SECRET}` };
    if (ownAuth === undefined) headers.Authorization = `Bearer ${BEARER_SECRET}`;
    const secrets = [ownAuth?.replace(/^\S+\s+/, '') ?? BEARER_SECRET, COOKIE_SECRET];

    const since = nowUs();
    // A session or call the SUT refuses (e.g. 401 to a token it does not know) shows nothing about forwarding.
    const s = await ctx.open({ headers, label: 'credentials check' }).catch((e: unknown) => describeError(e));
    if (typeof s === 'string') return warmUpFailed('a session opened with credentials', s);
    const r = await s.call(tool, { message: 'credentials check' });
    if (r.outcome !== 'ok')
      return warmUpFailed('alpha.echo in a session with credentials', describeOutcome(r));

    const records: CallRecord[] = [];
    for (const m of ctx.fleet.mocks.values())
      if (m.transport !== 'stdio') records.push(...(await m.calls({ since })));
    const echo = records.find((c) => c.mock === 'alpha' && c.tool === 'echo');
    if (!echo) return fail('the call was answered but never reached alpha (its call log has no echo call)');
    if (!echo.headers) return skip("alpha's call log keeps no request headers: nothing to look at");
    const leaks = new Map<string, { headers: Set<string>; methods: Set<string> }>();
    for (const c of records) {
      for (const [k, v] of Object.entries(c.headers ?? {})) {
        if (!secrets.some((secret) => v.includes(secret))) continue;
        const l = leaks.get(c.mock) ?? { headers: new Set(), methods: new Set() };
        l.headers.add(k);
        l.methods.add(c.method);
        leaks.set(c.mock, l);
      }
    }
    if (leaks.size === 0)
      return pass(
        `${records.length} downstream messages (alpha.echo included): no Authorization or Cookie value of the client in their headers`,
      );
    const where = [...leaks].map(
      ([mock, l]) => `${mock} received ${[...l.headers].join(', ')} (in ${[...l.methods].join(', ')})`,
    );
    return fail(`the client's credentials reached downstream servers: ${where.join('; ')}`);
  },
});
