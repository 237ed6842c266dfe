import { check, fail, pass, skip } from '../types.js';
import {
  answeredWithError,
  boundMs,
  callEvidence,
  describeCall,
  listedAs,
  ms,
  resolveTools,
  waitFor,
} from './resilience-util.js';

/**
 * A gateway started while one of its backends is down serves the others:
 * their tools are listed and callable, and calls to the missing backend fail
 * with an error rather than hanging or taking the whole gateway down.
 */
/** How long after the relaunch alpha's tools may take to appear in tools/list. */
const LISTING_MS = 2000;

export const backendDownAtStart = check({
  id: 'gateway.backend-down-at-start',
  title: 'a backend down at start does not take the gateway down',
  suite: 'gateway',
  specRef: 'practice: a gateway tolerates a backend that is unreachable when it (or a session) starts',
  severity: 'must',
  disruptive: true,
  expected:
    "started while beta is down, the gateway lists and serves alpha's tools, and a call to beta " +
    "gets an error within the target's timeout + 1 s",
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    // A stdio SUT is started by connecting to it; an HTTP one needs a launch recipe to be restarted.
    if (!ctx.target.launched && ctx.endpoint?.transport !== 'stdio')
      return skip('the target has no launch recipe: the harness cannot restart the SUT');
    const r = await resolveTools(ctx, ['alpha.echo', 'beta.echo']);
    if (!r.names) return r.verdict;
    // Named before the relaunch: beta's tools will not be listed while it is down.
    const betaEcho = r.names[1] as string;
    const beta = ctx.mock('beta');
    let relaunched = false;
    ctx.defer(async () => {
      await beta.restart();
      if (!relaunched) return; // the old SUT is closed; the runner opens a fresh one
      // The tool map was made while beta was down: map again once beta is listed, for the checks after this one.
      await waitFor(
        async () => {
          await ctx.target.refreshTools().catch(() => undefined);
          return ctx.exposed('beta.echo') !== undefined;
        },
        boundMs(ctx),
        { stepMs: 200 },
      );
    });

    const t0 = performance.now();
    try {
      await ctx.relaunch(() => beta.kill());
    } catch (e) {
      return fail(`with beta down, the SUT could not be started and opened: ${(e as Error).message}`, {
        relaunchMs: ms(performance.now() - t0),
      });
    }
    relaunched = true;
    const relaunchMs = ms(performance.now() - t0);
    const s = ctx.session;
    if (!s) return fail('after the relaunch the SUT has no session');
    let tools: Awaited<ReturnType<typeof s.tools>> = [];
    try {
      // A list that fills in over the first moments is gateway.tools-ready-at-handshake's business:
      // alpha.echo counts as listed if it appears within LISTING_MS.
      await waitFor(
        async () => {
          tools = await s.tools();
          return listedAs(ctx, tools, 'alpha', 'echo') !== undefined;
        },
        LISTING_MS,
        { stepMs: 100, signal: ctx.signal },
      );
    } catch (e) {
      return fail(`with beta down, tools/list fails: ${(e as Error).message}`, { relaunchMs });
    }
    const alphaListed = listedAs(ctx, tools, 'alpha', 'echo');
    const betaListed = listedAs(ctx, tools, 'beta', 'echo');
    const alphaCall = alphaListed ? await s.call(alphaListed.name, { message: 'beta is down' }) : undefined;
    const betaCall = await s.call(betaEcho, { message: 'are you there?' }, { timeoutMs: boundMs(ctx) });
    const evidence = {
      relaunchMs,
      listed: tools.length,
      alphaListed: alphaListed?.name ?? null,
      betaListed: betaListed?.name ?? null,
      ...(alphaCall ? { alphaCall: callEvidence(alphaCall) } : {}),
      betaCall: callEvidence(betaCall),
      boundMs: boundMs(ctx),
    };
    if (!alphaListed)
      return fail(`with beta down, alpha.echo is not listed (${tools.length} tools listed)`, evidence);
    if (alphaCall?.outcome !== 'ok')
      return fail(`with beta down, a call to alpha.echo fails: ${describeCall(alphaCall!)}`, evidence);
    if (!answeredWithError(betaCall))
      return fail(
        `a call to the down backend: ${describeCall(betaCall)} (expected an error answer)`,
        evidence,
      );
    return pass(
      `alpha listed and callable (${Math.round(alphaCall.durationMs)} ms); beta call: ${describeCall(betaCall)}`,
      evidence,
    );
  },
});
