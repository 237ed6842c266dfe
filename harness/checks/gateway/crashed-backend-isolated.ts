import { nowUs } from '../../measure/clock.js';
import { warmUpFailed } from '../needs.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import {
  answeredWithError,
  available,
  boundMs,
  callEvidence,
  describeCall,
  ms,
  resolveTools,
} from './resilience-util.js';

/**
 * A backend that crashes during a call fails that call (and the next ones to
 * it) with an error, and only those: calls to the other backends still succeed.
 * Covers the "dead backend cascade" bug, where one dead server takes every
 * other one down with it.
 */
export const crashedBackendIsolated = check({
  id: 'gateway.crashed-backend-isolated',
  title: 'a crashed backend fails alone',
  suite: 'gateway',
  specRef: 'practice: one downstream failure is isolated to the calls routed to it',
  severity: 'must',
  disruptive: true,
  expected:
    'when alpha crashes during a call, that call and the next call to alpha get an error within the ' +
    "target's timeout + 1 s, and calls to beta (and gamma) keep succeeding",
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.echo', 'beta.echo']);
    if (!r.names) return r.verdict;
    const [victim] = r.names as [string, string];
    const others = await available(ctx, ['beta.echo', 'gamma.status']);
    const s = ctx.session;
    const bound = boundMs(ctx);

    const warm = await s.call(victim, { message: 'before the crash' });
    if (warm.outcome !== 'ok') return warmUpFailed('alpha.echo', describeCall(warm));
    // Only backends that answer before the crash say something about isolation after it.
    const argsOf = (logical: string) => (logical.endsWith('echo') ? { message: 'alpha is dead' } : {});
    const healthy: Array<[string, string]> = [];
    for (const [logical, name] of others)
      if ((await s.call(name, argsOf(logical))).outcome === 'ok') healthy.push([logical, name]);
    if (healthy.length === 0) return blocked('no other backend answers to begin with', 'warm-up call');

    const alpha = ctx.mock('alpha');
    const fault = await alpha.addFault({ id: 'mcp-harness-crash', type: 'crash', tools: ['echo'], for: 1 });
    ctx.defer(async () => {
      await alpha.removeFault(fault);
      await alpha.restart();
    });
    const crashUs = nowUs();
    const crashed = await s.call(victim, { message: 'crash now' }, { timeoutMs: bound });
    // Isolation is only shown once alpha did crash on the call (its fault fired).
    const fired = (await alpha.calls({ tool: 'echo', since: crashUs })).some((c) => c.faults.includes(fault));
    const dead = await s.call(victim, { message: 'while dead' }, { timeoutMs: bound });
    const afterwards: Record<string, ReturnType<typeof callEvidence>> = {};
    const broken: string[] = [];
    for (const [logical, name] of healthy) {
      const p = await s.call(name, argsOf(logical));
      afterwards[logical] = callEvidence(p);
      if (p.outcome !== 'ok') broken.push(`${logical}: ${describeCall(p)}`);
    }
    const evidence = {
      boundMs: bound,
      timeToErrorMs: ms(crashed.durationMs),
      crashedCall: callEvidence(crashed),
      deadCall: callEvidence(dead),
      otherCalls: afterwards,
    };
    if (!fired)
      return blocked(
        `the call meant to crash alpha never reached it (${describeCall(crashed)}): no crash to isolate`,
        'crash call',
      );
    if (broken.length > 0)
      return fail(`after alpha crashed, calls to other backends failed: ${broken.join('; ')}`, evidence);
    const notAnswered = [
      ['the call alpha crashed on', crashed],
      ['the next call to alpha', dead],
    ].filter(([, p]) => !answeredWithError(p as typeof crashed)) as Array<[string, typeof crashed]>;
    if (notAnswered.length > 0)
      return fail(
        notAnswered.map(([what, p]) => `${what}: ${describeCall(p)} (expected an error answer)`).join('; '),
        evidence,
      );
    return pass(
      `crashed call: ${describeCall(crashed)}; next call: ${describeCall(dead)}; ` +
        `${healthy.map(([l]) => l).join(', ')} still ok`,
      evidence,
    );
  },
});
