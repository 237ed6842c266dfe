import { textOf } from '../../runner/outcome.js';
import type { CallProbe } from '../session.js';
import { check, fail, pass, skip } from '../types.js';
import { available, describeCall, ms, resolveTools, since, waitMs } from './resilience-util.js';

const CALLS = 20;

/**
 * Concurrent calls each get their own answer: a gateway multiplexing many
 * upstream requests over shared downstream connections must not hand one
 * call's result to another.
 */
export const concurrentCallsIsolated = check({
  id: 'gateway.concurrent-calls-isolated',
  title: 'concurrent calls each get their own result',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 basic §Responses (a response MUST carry the id of the request it answers)',
  severity: 'must',
  expected: `${CALLS} concurrent echo calls (alpha and beta) with distinct arguments each get an answer echoing their own arguments`,
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.echo']);
    if (!r.names) return r.verdict;
    const alphaEcho = r.names[0] as string;
    const betaEcho = (await available(ctx, ['beta.echo']))[0]?.[1];
    const s = ctx.session;
    // alpha.echo answers with its arguments; beta.echo with "beta says MESSAGE".
    const plan = Array.from({ length: CALLS }, (_, i) => {
      const message = `call-${i}-${Math.random().toString(36).slice(2, 8)}`;
      const onBeta = betaEcho !== undefined && i % 4 === 3;
      return {
        i,
        message,
        name: onBeta ? betaEcho : alphaEcho,
        matches: (p: CallProbe) =>
          p.outcome === 'ok' &&
          (onBeta
            ? textOf(p.result).includes(message)
            : (p.result?.structuredContent as { message?: unknown } | undefined)?.message === message ||
              textOf(p.result).includes(`"${message}"`)),
      };
    });
    const t0 = performance.now();
    // Isolation, not speed, is judged: each call may take the harness's whole wait (a bridge that
    // spawns a process per request is slow under 20 at once, not crossed).
    const wait = waitMs(ctx);
    const probes = await Promise.all(
      plan.map((c) => s.call(c.name, { message: c.message, n: c.i }, { timeoutMs: wait })),
    );
    const wallMs = since(t0);
    const failed = plan.filter((_c, i) => probes[i]!.outcome !== 'ok');
    const crossed = plan.filter((c, i) => probes[i]!.outcome === 'ok' && !c.matches(probes[i]!));
    const evidence = {
      calls: CALLS,
      onBeta: plan.filter((c) => c.name === betaEcho).length,
      wallMs,
      maxCallMs: ms(Math.max(...probes.map((p) => p.durationMs))),
      failed: failed.length,
      crossed: crossed.length,
      ...(crossed[0]
        ? { example: { sent: crossed[0].message, got: textOf(probes[crossed[0].i]!.result).slice(0, 200) } }
        : {}),
    };
    if (crossed.length > 0)
      return fail(
        `${crossed.length} of ${CALLS} calls got an answer for other arguments (call ${crossed[0]!.i} sent ` +
          `'${crossed[0]!.message}', got '${textOf(probes[crossed[0]!.i]!.result).slice(0, 120)}')`,
        evidence,
      );
    if (failed.length > 0)
      return fail(
        `${failed.length} of ${CALLS} concurrent calls failed (first: ${describeCall(probes[failed[0]!.i]!)}; ` +
          `the harness waited up to ${wait} ms for each)`,
        evidence,
      );
    return pass(
      `${CALLS} concurrent calls, each answered with its own arguments in ${Math.round(wallMs)} ms`,
      evidence,
    );
  },
});
