import cliProgress from 'cli-progress';
import { formatOverheadSpread, formatStepOverhead, overheadEntry } from '../measure/overhead-view.js';
import {
  type CheckResult,
  checkVerdict,
  isUnexplainedScenarioFailure,
  isUnexplainedStepFailure,
  type RunReport,
  type ScenarioResult,
  type StepResult,
} from '../schema/result.js';
import {
  escapeControl,
  formatDuration,
  formatMs,
  formatTags,
  otherHistograms,
  plural,
  stepHistogram,
  truncate,
} from './format.js';
import type { RenderOptions, Reporter } from './reporter.js';

/**
 * Human lines for a terminal and for CI logs. The last line is always the
 * summary: `N passed, N failed, N warned, N skipped`.
 */
export const consoleReporter: Reporter = {
  name: 'console',
  render: renderConsole,
};

/** A stream we can write to and ask whether it is a terminal. */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean };

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function shouldUseColor(stream: OutputStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

type Paint = (code: keyof typeof SGR, text: string) => string;
const SGR = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
} as const;

function painter(color: boolean): Paint {
  if (!color) return (_code, text) => text;
  return (code, text) => `\u001b[${SGR[code][0]}m${text}\u001b[${SGR[code][1]}m`;
}

const VALUE_MAX = 240;

export function renderConsole(report: RunReport, options: RenderOptions = {}): string {
  const paint = painter(options.color ?? false);
  const lines: string[] = [];
  const what = [
    report.checks.length > 0 ? plural(report.checks.length, 'check') : '',
    report.scenarios.length > 0 ? plural(report.scenarios.length, 'scenario') : '',
  ].filter(Boolean);
  lines.push(paint('dim', `mcp-harness ${clean(report.version)} — ${what.join(', ') || 'nothing run'}`));

  let suite: string | undefined;
  for (const c of report.checks) {
    if (c.suite !== suite) {
      suite = c.suite;
      lines.push('', paint('bold', clean(suite)));
    }
    lines.push(...checkLines(c, paint));
    // --verbose: the check's messages, under its result.
    for (const t of c.transcript ?? []) lines.push(`      ${paint('dim', clean(t))}`);
  }
  for (const s of report.scenarios) lines.push('', ...scenarioLines(s, paint));

  const { passed, failed, warned, skipped, blocked } = report.summary;
  const summary =
    `${passed} passed, ${failed} failed, ${warned} warned, ${skipped} skipped` +
    (blocked > 0 ? `, ${blocked} blocked` : '');
  lines.push('', paint('dim', `done in ${formatMs(report.durationMs)} · exit code ${report.exitCode}`));
  lines.push(
    failed + blocked > 0
      ? paint('red', summary)
      : warned > 0
        ? paint('yellow', summary)
        : paint('green', summary),
  );
  return lines.join('\n');
}

function checkLines(c: CheckResult, paint: Paint): string[] {
  const head = `${clean(c.id)}  ${clean(c.title)}`;
  const eo = `expected: ${clean(c.expected)}  observed: ${clean(c.observed)}`;
  const more: string[] = [];
  if (c.reason) more.push(`reason: ${clean(c.reason)}`);
  if (c.specRef) more.push(`spec: ${clean(c.specRef)}`);
  const detail = more.length > 0 ? [`      ${paint('dim', more.join('  '))}`] : [];
  switch (checkVerdict(c)) {
    case 'pass':
      return [`  ${paint('green', '✓')} ${head}`];
    case 'fail':
      return [`  ${paint('red', `✗ ${head}`)}  ${eo}`, ...detail];
    case 'stale':
      return [
        `  ${paint('red', `✗ ${head}`)}  stale baseline entry: passes now; remove it from the expected-failures file`,
      ];
    case 'warn':
      return [`  ${paint('yellow', `! ${head}`)}  ${eo}`, ...detail];
    case 'skip':
      return [
        `  ${paint('dim', `- ${head}${c.reason ? `  (skipped: ${clean(c.reason)})` : '  (skipped)'}`)}`,
      ];
    case 'blocked':
      return [
        `  ${paint('red', `⊘ ${head}`)}  blocked: ${clean(c.reason ?? 'the SUT kept it from running')}` +
          (c.blockedBy ? ` (by ${clean(c.blockedBy)})` : ''),
      ];
    case 'expected-fail':
      return [`  ${paint('yellow', `○ ${head}`)}  expected failure (baseline)  ${paint('dim', eo)}`];
  }
}

function scenarioLines(s: ScenarioResult, paint: Paint): string[] {
  const mark = s.status === 'pass' ? paint('green', '✓') : paint('red', '✗');
  const lines = [
    `${mark} ${paint('bold', `scenario ${clean(s.scenario)}`)}  ${s.pattern} · ${clean(s.target)}  ${formatMs(s.durationMs)}`,
  ];
  if (isUnexplainedScenarioFailure(s))
    lines.push(`  ${paint('red', '✗ the scenario failed without a failing step')}`);
  for (const step of s.steps) lines.push(...stepLines(s, step, paint));
  if (s.thresholds.length > 0) {
    lines.push('  thresholds');
    for (const t of s.thresholds) {
      const text = `${clean(t.metric)} ${clean(t.expression)}  observed ${clean(t.observed)}`;
      lines.push(t.pass ? `    ${paint('green', '✓')} ${text}` : `    ${paint('red', `✗ ${text}`)}`);
    }
  }
  for (const h of otherHistograms(s)) {
    // A signed series (overhead) shows its signed centre, spread and ±; the others their percentiles.
    const values =
      formatOverheadSpread(h, formatDuration) ??
      `p50 ${formatDuration(h.p50)}  p95 ${formatDuration(h.p95)}  p99 ${formatDuration(h.p99)}  max ${formatDuration(h.max)}`;
    lines.push(paint('dim', `  ${clean(h.metric)} ${clean(formatTags(h.tags))}  n=${h.count}  ${values}`));
  }
  if (s.propagation) {
    const tri = (v: boolean | null) => (v === null ? 'not measured' : v ? '✓' : '✗');
    lines.push(
      paint(
        'dim',
        `  propagation: trace context ${tri(s.propagation.traceContext)} · arguments unchanged ${tri(s.propagation.argumentsUnchanged)}`,
      ),
    );
  }
  return lines;
}

function stepLines(s: ScenarioResult, step: StepResult, paint: Paint): string[] {
  const mark =
    step.status === 'pass'
      ? paint('green', '✓')
      : step.status === 'fail'
        ? paint('red', '✗')
        : paint('dim', '-');
  const parts = [`  ${mark} ${clean(step.name)}`, step.tool ? `${step.kind} ${clean(step.tool)}` : step.kind];
  parts.push(formatDuration(step.durationUs));
  if (step.outcome && step.outcome !== 'ok')
    parts.push(paint(step.status === 'fail' ? 'red' : 'dim', step.outcome));
  const timing: string[] = [];
  if (step.downstreamUs !== undefined) timing.push(`downstream ${formatDuration(step.downstreamUs)}`);
  if (step.overheadUs !== undefined) {
    const entry = overheadEntry(s.histograms, step.name);
    timing.push(`overhead ${formatStepOverhead(step.overheadUs, entry, formatDuration)}`);
  }
  const h = stepHistogram(s, step);
  if (h && h.count > 1) {
    timing.push(
      `n=${h.count} p50 ${formatDuration(h.p50)} p95 ${formatDuration(h.p95)} p99 ${formatDuration(h.p99)}`,
    );
  }
  if (step.attribution && step.attribution !== 'none') timing.push(`by ${step.attribution}`);
  if (timing.length > 0) parts.push(paint('dim', `(${timing.join(', ')})`));
  const lines = [parts.join('  ')];
  if (isUnexplainedStepFailure(step) && step.reason) lines.push(`      ${paint('red', clean(step.reason))}`);
  for (const e of step.expectations) {
    if (e.status === 'pass') lines.push(`      ${paint('green', '✓')} ${clean(e.expectation)}`);
    else {
      lines.push(
        `      ${paint('red', `✗ ${clean(e.expectation)}`)}  expected: ${clean(e.expected)}  observed: ${clean(e.observed)}` +
          (e.reason ? paint('dim', `  (${clean(e.reason)})`) : ''),
      );
    }
  }
  return lines;
}

/**
 * One line of terminal-safe text: control characters (including ESC, so a
 * server cannot inject terminal sequences) become visible escapes, newlines ⏎.
 */
export function clean(text: string, max = VALUE_MAX): string {
  return truncate(escapeControl(text.replaceAll('\t', ' ').replace(/\r?\n/g, ' ⏎ ')), max);
}

export interface Progress {
  /** One item finished: `[3/20] name … ok` (plain) or the bar advances (TTY). */
  tick(name: string, status?: string): void;
  /** Finish the bar and release its timer; safe to call twice. */
  stop(): void;
}

/**
 * Live progress for long runs: a cli-progress bar on a TTY, plain
 * `[3/20] name … ok` lines otherwise (CI logs). Always call stop().
 */
export function createProgress(options: { total: number; stream?: OutputStream; label?: string }): Progress {
  const stream = options.stream ?? process.stderr;
  const total = Math.max(0, options.total);
  if (stream.isTTY !== true) {
    let done = 0;
    const width = String(total).length;
    return {
      tick(name, status = 'ok') {
        done++;
        stream.write(
          `[${String(done).padStart(width)}/${total}] ${clean(name, 120)} … ${clean(status, 60)}\n`,
        );
      },
      stop() {},
    };
  }
  const prefix = options.label ? `${clean(options.label, 40)} ` : '';
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${prefix}{bar} {value}/{total} {item}`,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { item: '' });
  let stopped = false;
  return {
    tick(name, status = 'ok') {
      if (stopped) return;
      bar.increment(1, { item: `${clean(name, 60)} … ${clean(status, 30)}` });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
