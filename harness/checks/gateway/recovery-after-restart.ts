import type { MockHandle } from '../../../mocks/server/handle.js';
import { nowUs } from '../../measure/clock.js';
import type { CheckContext } from '../context.js';
import { warmUpFailed } from '../needs.js';
import type { CallProbe, Session } from '../session.js';
import { check, fail, pass, skip } from '../types.js';
import {
  available,
  boundMs,
  callEvidence,
  describeCall,
  ms,
  resolveTools,
  since,
  waitFor,
  waitMs,
} from './resilience-util.js';

/** How long a backend that is back may take to be served again (at least this, at least the bound). */
const RECOVERY_MS = 5000;

interface Recovery {
  recovered: boolean;
  timeToRecoverMs?: number;
  failedCalls: number;
  failures: CallProbe[];
  last?: CallProbe;
}

/** Call until one succeeds or `windowMs` passes; counts the failures. */
async function untilServed(
  ctx: CheckContext,
  s: Session,
  name: string,
  args: Record<string, unknown>,
  windowMs: number,
  t0 = performance.now(),
): Promise<Recovery> {
  const failures: CallProbe[] = [];
  let last: CallProbe | undefined;
  await waitFor(
    async () => {
      last = await s.call(name, args, { timeoutMs: boundMs(ctx) });
      if (last.outcome === 'ok') return true;
      failures.push(last);
      return false;
    },
    windowMs,
    { stepMs: 200, signal: ctx.signal },
  );
  const failedCalls = failures.length;
  return last?.outcome === 'ok'
    ? { recovered: true, timeToRecoverMs: since(t0), failedCalls, failures, last }
    : { recovered: false, failedCalls, failures, last };
}

const report = (r: Recovery) => ({
  recovered: r.recovered,
  timeToRecoverMs: r.timeToRecoverMs,
  failedCalls: r.failedCalls,
  ...(r.failures[0] ? { firstFailure: callEvidence(r.failures[0]) } : {}),
  ...(r.last ? { lastCall: callEvidence(r.last) } : {}),
});

/**
 * A backend that died and came back is served again: the gateway reconnects
 * (HTTP) or respawns (stdio) instead of keeping it dead for the rest of the
 * session. Time to recover is measured from the restart (HTTP) or the kill (stdio).
 */
export const recoveryAfterRestart = check({
  id: 'gateway.recovery-after-restart',
  title: 'a backend that comes back is served again',
  suite: 'gateway',
  specRef: 'practice: a gateway reconnects to a downstream that restarted (and respawns a stdio one)',
  severity: 'must',
  disruptive: true,
  expected:
    `after alpha (HTTP) is killed and restarted, calls to it succeed again within ${RECOVERY_MS / 1000} s; ` +
    "after gamma's (stdio) process is killed, the gateway starts it again and serves a call to it " +
    '(a slow start gets a second window of twice the deadline, at least 10 s)',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.echo']);
    if (!r.names) return r.verdict;
    const [echo] = r.names as [string];
    const s = ctx.session;
    const windowMs = Math.max(RECOVERY_MS, boundMs(ctx));
    const alpha = ctx.mock('alpha');
    const stdio = (await available(ctx, ['gamma.status'])).filter(
      ([l]) => ctx.mock(l.split('.')[0]!).transport === 'stdio',
    );

    const warm = await s.call(echo, { message: 'before the restart' });
    if (warm.outcome !== 'ok') return warmUpFailed('alpha.echo', describeCall(warm));

    // HTTP: kill, let the gateway see it dead, restart, then measure until served.
    ctx.defer(() => alpha.restart());
    await alpha.kill();
    const whileDead = await s.call(echo, { message: 'alpha is dead' }, { timeoutMs: boundMs(ctx) });
    await alpha.restart();
    const http = await untilServed(ctx, s, echo, { message: 'alpha is back' }, windowMs);
    const evidence: Record<string, unknown> = {
      windowMs,
      alpha: { whileDead: callEvidence(whileDead), ...report(http) },
    };

    // stdio: the process exits; the gateway must spawn it again on demand.
    let proc: (Recovery & { respawns: number; windowMs: number; gone: boolean }) | undefined;
    let gammaBlocked: string | undefined;
    for (const [logical, name] of stdio) {
      const gamma: MockHandle = ctx.mock(logical.split('.')[0]!);
      const before = await s.call(name, {});
      if (before.outcome !== 'ok') {
        gammaBlocked = describeCall(before);
        evidence.gamma = { untested: `${logical} does not work to begin with: ${gammaBlocked}` };
        break;
      }
      const t0 = performance.now();
      const killedUs = nowUs();
      await gamma.kill();
      const gone = await waitFor(() => gamma.instances() === 0, 3000, { signal: ctx.signal });
      let served = await untilServed(ctx, s, name, {}, windowMs, t0);
      // A respawn that is slow to serve (a loaded machine) gets a second, generous window; never a pass unserved.
      const inits = async () =>
        new Set((await gamma.calls({ method: 'initialize', since: killedUs })).map((c) => c.instance)).size;
      let respawns = await inits();
      let window = windowMs;
      if (!served.recovered && respawns > 0) {
        const more = await untilServed(ctx, s, name, {}, waitMs(ctx), t0);
        served = {
          ...more,
          failedCalls: served.failedCalls + more.failedCalls,
          failures: [...served.failures, ...more.failures],
        };
        window += waitMs(ctx);
        respawns = await inits();
      }
      proc = { ...served, respawns, windowMs: window, gone: Boolean(gone) };
      evidence.gamma = { processesGone: Boolean(gone), respawns, windowMs: window, ...report(served) };
    }

    const problems: string[] = [];
    if (!http.recovered)
      problems.push(
        `alpha was restarted but ${http.failedCalls} calls over ${windowMs} ms failed (last: ${describeCall(http.last!)})`,
      );
    if (proc && !proc.recovered)
      problems.push(
        proc.respawns === 0
          ? `gamma's process was killed and never started again: ${proc.failedCalls} calls over ${proc.windowMs} ms failed ` +
              `(last: ${describeCall(proc.last!)})`
          : `gamma's process was started again (${proc.respawns} time(s)) but served no call within ${proc.windowMs} ms ` +
              `(${proc.failedCalls} failed; last: ${describeCall(proc.last!)})`,
      );
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    // Recovery of the stdio server was asked but could not be tried: not a pass.
    if (gammaBlocked) return warmUpFailed(stdio[0]![0], gammaBlocked);
    // A process that never went away proves nothing about respawning it.
    if (proc && !proc.gone)
      return skip(
        `gamma's processes did not exit within 3 s of the kill: its recovery could not be observed`,
      );
    const stdioPart = proc
      ? `; gamma respawned and served ${ms(proc.timeToRecoverMs!)} ms after the kill (${proc.failedCalls} failed calls)`
      : '';
    return pass(
      `alpha served again ${ms(http.timeToRecoverMs!)} ms after its restart (${http.failedCalls} failed calls)${stdioPart}`,
      evidence,
    );
  },
});
