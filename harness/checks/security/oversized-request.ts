import { describeOutcome } from '../../runner/outcome.js';
import { speaksModern, stillAnswers } from '../era-session.js';
import { resolveTools } from '../needs.js';
import { check, skip, verdict } from '../types.js';

export const OVERSIZED_BYTES = 4 * 1024 * 1024;

/** A huge request is refused or served, and the SUT keeps answering: it never takes the server down. */
export const oversizedRequest = check({
  id: 'security.oversized-request',
  title: 'a ~4 MiB request does not take the SUT down',
  suite: 'security',
  specRef:
    'MCP 2025-11-25 server/tools §Security Considerations (validate inputs); practice: bounded request size (CWE-400)',
  severity: 'must',
  expected:
    'a tools/call of ~4 MiB is rejected (413, 400, a JSON-RPC error) or handled, and afterwards the SUT still answers a ping',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const resolved = await resolveTools(ctx, ['alpha.echo']);
    if (!resolved.names) return resolved.verdict;
    const tool = resolved.names[0] as string;
    // On the main session: the same session must go on working after the SUT refused or served it.
    const r = await ctx.session.call(
      tool,
      { message: 'x'.repeat(OVERSIZED_BYTES) },
      { timeoutMs: Math.max(ctx.timeoutMs, 10_000) },
    );
    const first = r.outcome === 'ok' ? 'handled (a result)' : `rejected (${describeOutcome(r)})`;
    // Any JSON-RPC answer (even -32601 from a SUT without ping) shows it is still there.
    const after = await stillAnswers(ctx.session, ctx.timeoutMs);
    const probe = speaksModern(ctx.session) ? 'tools/list' : 'ping';
    return verdict(
      after === undefined,
      `a ${OVERSIZED_BYTES / 1024 / 1024} MiB tools/call was ${first}; afterwards ${after === undefined ? `${probe} answered` : `${probe} failed: ${after}`}`,
    );
  },
});
