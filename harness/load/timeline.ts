import { resolve } from 'node:path';
import type { Fleet } from '../../mocks/server/fleet.js';
import { readDataFile } from '../config/load.js';
import { zodProblems } from '../config/problems.js';
import { HarnessError, type Problem } from '../errors.js';
import { nowUs } from '../measure/clock.js';
import { FaultSpecSchema } from '../schema/fault.js';
import type { FleetSpec } from '../schema/fleet.js';
import {
  FaultTimelineSchema,
  type LoadReport,
  type LoadSecond,
  type TimelineAction,
  TimelineActionSchema,
} from '../schema/load.js';
import { errorTotal } from './task.js';

/**
 * The fault timeline of a load test: at given times after the start, add or
 * clear faults on a mock, kill it or bring it back (through the fleet's
 * control API), then read from the per-second series how long errors lasted
 * after each action (time to recover).
 */

/** Read and check a timeline file: its shape, each fault, and that each server is in the fleet. */
export async function readTimeline(
  file: string,
  fleet: FleetSpec | undefined,
): Promise<{ actions: TimelineAction[]; problems: Problem[] }> {
  let raw: unknown;
  try {
    raw = await readDataFile(resolve(file));
  } catch (e) {
    const msg = e instanceof HarnessError ? e.message : String(e);
    return { actions: [], problems: [{ path: 'faults', message: `${msg} (${file})` }] };
  }
  const parsed = FaultTimelineSchema.safeParse(raw);
  const entries = (raw as { timeline?: unknown } | null)?.timeline;
  if (!parsed.success && !Array.isArray(entries))
    return { actions: [], problems: zodProblems(parsed.error, ['faults']) };
  // Entry by entry, so one broken entry does not hide the others' problems.
  const names = new Set(fleet?.servers.map((s) => s.name));
  const problems: Problem[] = parsed.success ? [] : zodProblems(parsed.error, ['faults']);
  const actions: TimelineAction[] = [];
  (entries as unknown[]).forEach((entry, i) => {
    const at = `faults.timeline[${i}]`;
    const one = TimelineActionSchema.safeParse(entry);
    const server = (entry as { server?: unknown } | null)?.server;
    if (typeof server === 'string' && !names.has(server))
      problems.push({
        path: `${at}.server`,
        message: `no fleet server '${server}' (the fleet has ${[...names].join(', ')})`,
      });
    if (!one.success) return;
    actions.push(one.data);
    if (one.data.action === 'fault') {
      const f = FaultSpecSchema.safeParse(one.data.fault);
      if (!f.success) problems.push(...zodProblems(f.error, [`${at}.fault`]));
    }
  });
  return { actions, problems: dedupe(problems) };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter(
    (p) => !seen.has(`${p.path}\u0000${p.message}`) && !!seen.add(`${p.path}\u0000${p.message}`),
  );
}

export interface AppliedAction {
  atUs: number;
  action: string;
  server: string;
  error?: string;
}

export interface RunningTimeline {
  applied: AppliedAction[];
  /** Cancel what has not happened yet and wait for what is under way. */
  stop(): Promise<void>;
}

/** Schedule each action at `startUs + atMs` (harness clock). */
export function startTimeline(
  actions: readonly TimelineAction[],
  fleet: Fleet,
  startUs: number,
): RunningTimeline {
  const applied: AppliedAction[] = [];
  const running = new Set<Promise<void>>();
  const timers = actions.map((a) =>
    setTimeout(
      () => {
        const atUs = nowUs() - startUs;
        const p = apply(a, fleet)
          .then(() => void applied.push({ atUs, action: a.action, server: a.server }))
          .catch(
            (e) =>
              void applied.push({
                atUs,
                action: a.action,
                server: a.server,
                error: String((e as Error)?.message ?? e),
              }),
          )
          .finally(() => running.delete(p));
        running.add(p);
      },
      Math.max(0, (startUs + a.atMs * 1000 - nowUs()) / 1000),
    ),
  );
  return {
    applied,
    async stop() {
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}

async function apply(a: TimelineAction, fleet: Fleet): Promise<void> {
  const mock = fleet.mocks.get(a.server);
  if (!mock) throw new Error(`no mock ${a.server}`);
  if (a.action === 'fault') await mock.addFault(a.fault);
  else if (a.action === 'clear') await mock.resetFaults();
  else if (a.action === 'kill') await mock.kill();
  else await mock.start();
}

/**
 * Each action with its time to recover: from the action until the end of the
 * last second with errors before the next action; 0 when no errors followed
 * it; null when errors lasted to the end of that window (not recovered).
 */
export function recoveryOf(
  applied: readonly AppliedAction[],
  seconds: readonly LoadSecond[],
): LoadReport['timeline'] {
  const sorted = [...applied].sort((a, b) => a.atUs - b.atUs);
  return sorted.map((a, i) => {
    const endUs = sorted[i + 1]?.atUs ?? Number.POSITIVE_INFINITY;
    const inWindow = seconds.filter((s) => (s.second + 1) * 1e6 > a.atUs && s.second * 1e6 < endUs);
    const erring = inWindow.filter((s) => errorTotal(s.errors) > 0);
    const last = inWindow.at(-1);
    let recoveredAfterUs: number | null = 0;
    if (erring.length > 0) {
      const lastErr = erring.at(-1) as LoadSecond;
      recoveredAfterUs =
        lastErr === last ? null : Math.max(0, Math.round((lastErr.second + 1) * 1e6 - a.atUs));
    }
    return {
      atUs: Math.round(a.atUs),
      action: a.action + (a.error ? ` (failed: ${a.error})` : ''),
      server: a.server,
      recoveredAfterUs,
    };
  });
}
