import { describeError } from '../../target/connect.js';
import type { CheckContext } from '../context.js';
import type { CallOptions, CallProbe, Session } from '../session.js';

/** The SUT answered HTTP 404 to the harness's own session: it ended that session. */
export const sessionExpired = (p: CallProbe): boolean =>
  p.outcome === 'transport' && /^HTTP 404\b/.test(p.message ?? '');

/**
 * Calls on a session that is renewed when the SUT ends it: after an HTTP 404
 * the spec has the client start a new session (a new initialize), so the
 * call is made once more on a fresh one before anything is judged.
 */
export interface RenewingSession {
  readonly session: Session;
  /** How many times the SUT ended the session (answered 404) and a new one was opened. */
  readonly renewed: number;
  call(name: string, args?: Record<string, unknown>, opts?: CallOptions): Promise<CallProbe>;
}

export function renewing(ctx: CheckContext, first: Session): RenewingSession {
  let session = first;
  let renewed = 0;
  return {
    get session() {
      return session;
    },
    get renewed() {
      return renewed;
    },
    async call(name, args = {}, opts = {}) {
      const p = await session.call(name, args, opts);
      if (!sessionExpired(p) || !ctx.endpoint) return p;
      try {
        session = await ctx.open({ label: 'new session after HTTP 404' });
      } catch (e) {
        return { ...p, message: `${p.message}; then a new session failed: ${describeError(e)}` };
      }
      renewed++;
      return session.call(name, args, opts);
    },
  };
}
