import type { Problem } from '../errors.js';
import { parseDurationMs } from '../schema/duration.js';
import type { Stage } from '../schema/load.js';

/** What a flag parser returns: the value when the text was good, and every problem it found. */
export interface Parsed<T> {
  value?: T;
  problems: Problem[];
}

const TARGET_RE = /^\s*(\d+(?:\.\d+)?)\s*(?:\/s)?\s*$/;

/**
 * Parse `--stages "10s:100,30s:500,10s:0"`: comma-separated `duration:target`
 * pairs (k6's ramping stages). A duration takes a unit (`500ms`, `10s`, `2m`);
 * a target is a number ≥ 0 (req/s for arrival-rate executors, an optional
 * `/s` allowed). Every malformed stage is a problem at `path[i]`.
 */
export function parseStages(text: string, path = '--stages'): Parsed<Stage[]> {
  const parts = text.split(',');
  if (text.trim() === '') {
    return { problems: [{ path, message: "expected stages such as '10s:100,30s:500,10s:0', got ''" }] };
  }
  const stages: Stage[] = [];
  const problems: Problem[] = [];
  parts.forEach((part, i) => {
    const at = `${path}[${i}]`;
    const colon = part.indexOf(':');
    if (colon < 0) {
      problems.push({
        path: at,
        message: `expected 'duration:target' such as '10s:100', got '${part.trim()}'`,
      });
      return;
    }
    const durationText = part.slice(0, colon).trim();
    const targetText = part.slice(colon + 1).trim();
    const durationMs = parseDurationMs(durationText);
    const target = TARGET_RE.exec(targetText);
    if (durationMs === undefined || !(durationMs > 0)) {
      problems.push({
        path: at,
        message: `expected a duration > 0 such as 10s or 500ms before ':', got '${durationText}'`,
      });
    }
    if (!target) {
      problems.push({
        path: at,
        message: `expected a target ≥ 0 such as 100 after ':', got '${targetText}'`,
      });
    }
    if (durationMs !== undefined && durationMs > 0 && target)
      stages.push({ durationMs, target: Number(target[1]) });
  });
  return problems.length > 0 ? { problems } : { value: stages, problems };
}

/** The whole length of a ramp, in ms. */
export function stagesDurationMs(stages: readonly Stage[]): number {
  return stages.reduce((sum, s) => sum + s.durationMs, 0);
}
