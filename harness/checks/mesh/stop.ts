import type { CheckContext } from '../context.js';
import { waitFor } from '../gateway/resilience-util.js';
import type { Member } from './members.js';

/**
 * How the harness can take one member of a mesh down, and whether it really
 * went down. A member served by an in-process fleet mock is killed (and
 * restarted after the check); a stdio member is a process the harness (the
 * host) spawned, so ending it is closing that connection (the target is
 * reopened after a disruptive check). A remote HTTP server that is not a
 * fleet mock cannot be stopped from here.
 */
export interface StopPlan {
  /** `its fleet mock was killed`, `its process was ended`. */
  how: string;
  stop(): Promise<void>;
  /** Put back what `stop` took down (when the harness can). */
  restore(): Promise<void>;
  /** True once the member no longer answers (its process is gone, or ping fails). */
  isDown(): Promise<boolean>;
}

/** How long a stopped member may take to stop answering. */
export const DOWN_WAIT_MS = 3_000;

const pingFails = (m: Member) => () =>
  m.client.ping({ timeout: 1_000 }).then(
    () => false,
    () => true,
  );

function processGone(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The plan to stop `m`, or why the harness cannot. */
export function stopPlan(ctx: CheckContext, m: Member): StopPlan | string {
  if (m.mock && m.mock.transport !== 'stdio') {
    const mock = m.mock;
    return {
      how: 'its fleet mock was killed',
      stop: () => mock.kill(),
      restore: () => mock.restart(),
      isDown: pingFails(m),
    };
  }
  const connection = ctx.target.connections.get(m.name);
  if (connection?.endpoint.transport === 'stdio') {
    const pid = connection.pid;
    return {
      how: `its process${pid === undefined ? '' : ` (pid ${pid})`} was ended`,
      stop: () => connection.close(),
      restore: async () => {},
      isDown: async () => processGone(pid),
    };
  }
  const where = m.endpoint && m.endpoint.transport !== 'stdio' ? ` at ${m.endpoint.url}` : '';
  return `${m.name}${where} is neither a fleet mock nor a process the harness spawned: the harness cannot stop it`;
}

/** Stop the member and wait until it is down; true when it is. */
export async function takeDown(ctx: CheckContext, plan: StopPlan): Promise<boolean> {
  await plan.stop();
  return (await waitFor(plan.isDown, DOWN_WAIT_MS, { stepMs: 100, signal: ctx.signal })) === true;
}
