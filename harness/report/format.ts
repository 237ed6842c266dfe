import { formatDuration as formatDurationIn } from '../measure/format.js';
import type { HistogramSummary, ScenarioResult, StepResult } from '../schema/result.js';

/**
 * Shared formatting for every reporter: durations (integer µs → human),
 * truncation, and finding the histogram that belongs to a step.
 */

/** Microseconds as reports show them: `850 µs`, `1.23 ms`, `2.1 s`, `1 min 23 s` (see measure/format.ts). */
export function formatDuration(us: number): string {
  return formatDurationIn(us, 'readable');
}

/** Milliseconds (as check results carry them) as a human duration. */
export function formatMs(ms: number): string {
  return formatDuration(ms * 1000);
}

/** Cut a string to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Control characters (C0 except tab/newline, DEL, C1 — including ESC, so a
 * server cannot smuggle terminal or markup sequences) as visible `\xNN` escapes.
 */
export function escapeControl(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (ch) =>
    ch === '\r' ? '' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** `1 check` / `2 checks`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The latency histogram of one step: tagged with the step's name, preferring
 * the step-duration metric over downstream/overhead histograms of the same step.
 */
export function stepHistogram(scenario: ScenarioResult, step: StepResult): HistogramSummary | undefined {
  const mine = scenario.histograms.filter(
    (h) =>
      h.tags.step === step.name && (h.tags.scenario === undefined || h.tags.scenario === scenario.scenario),
  );
  return (
    mine.find((h) => /step/i.test(h.metric)) ??
    mine.find((h) => !/downstream|overhead/i.test(h.metric)) ??
    undefined
  );
}

/**
 * Histograms of a scenario that no step claims (e.g. downstream or overhead
 * series). A one-sample series of a step that has its own line says nothing
 * that line does not (it shows downstream and overhead), so it is left out.
 */
export function otherHistograms(scenario: ScenarioResult): HistogramSummary[] {
  const claimed = new Set(
    scenario.steps.map((s) => stepHistogram(scenario, s)).filter((h) => h !== undefined),
  );
  const shown = new Set(scenario.steps.map((s) => s.name));
  return scenario.histograms.filter(
    (h) => !claimed.has(h) && !(h.count === 1 && h.tags.step !== undefined && shown.has(h.tags.step)),
  );
}

/** `step=search outcome=ok`, in key order, for display. */
export function formatTags(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(' ');
}
