import type { MockHandle } from '../../../mocks/server/handle.js';
import { nowUs } from '../../measure/clock.js';
import { check, fail, pass, skip } from '../types.js';
import { available, describeCall, ms, sleep, waitFor } from './resilience-util.js';

/** How long the gateway may take to release what a closed session held. */
const RELEASE_MS = 5000;

/** The HTTP status a mock answers for a request on a downstream session (404: it no longer exists). */
async function sessionStatus(url: string, sessionId: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 'mcp-harness-released', method: 'ping' }),
    signal: AbortSignal.timeout(2000),
  });
  await res.body?.cancel().catch(() => {});
  return res.status;
}

/** Live stdio processes of a mock once the count has held still for 300 ms (bounded). */
async function settledInstances(m: MockHandle, signal: AbortSignal): Promise<number> {
  let last = m.instances();
  const until = performance.now() + 3000;
  while (performance.now() < until && !signal.aborted) {
    await sleep(300, signal);
    const now = m.instances();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/**
 * When a client session ends, the gateway releases what it opened for it
 * downstream: it deletes its HTTP sessions and ends its stdio processes.
 */
export const sessionsReleased = check({
  id: 'gateway.sessions-released',
  title: 'a closed session releases its downstream sessions and processes',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 basic/transports §Session Management (a client that no longer needs a session ' +
    'SHOULD send HTTP DELETE) and basic/lifecycle §Shutdown (stdio: close stdin, end the process)',
  severity: 'should',
  expected: `within ${RELEASE_MS / 1000} s of a client session closing, its downstream HTTP session on alpha is gone (404) and its gamma (stdio) process has exited`,
  async run(ctx) {
    if (!ctx.endpoint) return skip('no single endpoint');
    const http = (await available(ctx, ['alpha.echo'])).filter(
      () => ctx.mock('alpha').transport === 'http',
    )[0];
    const stdio = (await available(ctx, ['gamma.status'])).filter(
      () => ctx.mock('gamma').transport === 'stdio',
    )[0];
    if (!http && !stdio) return skip('the SUT exposes neither alpha.echo (HTTP) nor gamma.status (stdio)');
    const gamma = stdio ? ctx.mock('gamma') : undefined;
    const before = gamma ? await settledInstances(gamma, ctx.signal) : 0;

    const t0 = nowUs();
    const s = await ctx.open({ label: 'session to release' });
    const marker = `release-${Math.random().toString(36).slice(2, 10)}`;
    let downstreamSession: string | undefined;
    let url: string | undefined;
    if (http) {
      const c = await s.call(http[1], { message: marker });
      if (c.outcome !== 'ok') return skip(`alpha.echo does not work: ${describeCall(c)}`);
      const rec = (await ctx.mock('alpha').calls({ tool: 'echo', since: t0 })).find(
        (r) => r.arguments?.message === marker,
      );
      downstreamSession = rec?.connection;
      url = ctx.mock('alpha').endpoint()?.url;
    }
    let during = before;
    let stdioCall: string | undefined;
    if (stdio && gamma) {
      const c = await s.call(stdio[1], {});
      stdioCall = describeCall(c);
      // A gamma the gateway could not start in time says nothing about releasing it.
      if (c.outcome === 'ok')
        during =
          (await waitFor(() => (gamma.instances() > before ? gamma.instances() : 0), 3000, {
            signal: ctx.signal,
          })) ?? before;
    }
    const liveBefore = downstreamSession && url ? await sessionStatus(url, downstreamSession) : undefined;

    const tClose = performance.now();
    await s.close();
    const httpGone =
      downstreamSession && url && liveBefore !== 404
        ? await waitFor(
            async () => ((await sessionStatus(url, downstreamSession)) === 404 ? performance.now() : 0),
            RELEASE_MS,
            {
              stepMs: 100,
              signal: ctx.signal,
            },
          )
        : undefined;
    const procGone =
      gamma && during > before
        ? await waitFor(() => (gamma.instances() <= before ? performance.now() : 0), RELEASE_MS, {
            stepMs: 100,
            signal: ctx.signal,
          })
        : undefined;
    const after = gamma?.instances();
    const evidence = {
      alpha: downstreamSession
        ? {
            downstreamSession,
            statusWhileOpen: liveBefore,
            releasedMs: httpGone ? ms(httpGone - tClose) : undefined,
          }
        : { untested: http ? 'no downstream session id in alpha call log' : 'alpha.echo not exposed' },
      gamma: gamma
        ? {
            call: stdioCall,
            processesBefore: before,
            processesDuring: during,
            processesAfter: after,
            releasedMs: procGone ? ms(procGone - tClose) : undefined,
          }
        : { untested: 'gamma.status (stdio) not exposed' },
    };
    const problems: string[] = [];
    if (downstreamSession && url && liveBefore !== 404 && !httpGone)
      problems.push(
        `alpha's downstream session ${downstreamSession} still answers ${RELEASE_MS} ms after the client session closed`,
      );
    if (gamma && during > before && !procGone)
      problems.push(
        `gamma still has ${after} processes (${before} before the session) ${RELEASE_MS} ms after it closed`,
      );
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    if (!httpGone && !procGone)
      return skip(
        'nothing observable was opened downstream for the session (no alpha session id, no new gamma process)',
      );
    return pass(
      [
        httpGone ? `alpha session deleted ${Math.round(httpGone - tClose)} ms after close` : undefined,
        procGone ? `gamma process ended ${Math.round(procGone - tClose)} ms after close` : undefined,
      ]
        .filter(Boolean)
        .join('; '),
      evidence,
    );
  },
});
