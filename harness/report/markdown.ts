import { appendFile } from 'node:fs/promises';
import { formatOverheadSpread, formatStepOverhead, overheadEntry } from '../measure/overhead-view.js';
import {
  type CheckResult,
  checkVerdict,
  isUnexplainedScenarioFailure,
  type RunReport,
  type ScenarioResult,
  type StepResult,
  type Verdict,
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
import type { Reporter } from './reporter.js';

/**
 * A GitHub-flavoured Markdown summary, for PR comments and the Actions job
 * summary: headline counts, failing/warning checks, per-scenario step tables
 * with percentiles, thresholds.
 */
export const markdownReporter: Reporter = {
  name: 'md',
  fileName: 'summary.md',
  render: renderMarkdown,
};

const CELL_MAX = 200;

const MARK: Record<Verdict, string> = {
  pass: '✓',
  fail: '✗',
  warn: '⚠',
  skip: '–',
  blocked: '⊘ blocked',
  'expected-fail': '✗ (expected, baseline)',
  stale: '✗ (stale baseline entry)',
};

export function renderMarkdown(report: RunReport): string {
  const { summary: s } = report;
  const ok = report.exitCode === 0;
  const out: string[] = [];
  out.push(`## ${ok ? '✅' : '❌'} mcp-harness: ${ok ? 'passed' : 'failed'}`);
  out.push('');
  out.push(
    `**${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped` +
      `${s.blocked > 0 ? `, ${s.blocked} blocked` : ''}** · ` +
      `exit code ${report.exitCode} · ${formatMs(report.durationMs)} · ` +
      `${plural(report.checks.length, 'check')}, ${plural(report.scenarios.length, 'scenario')} · ` +
      `mcp-harness ${esc(report.version)} · started ${esc(report.startedAt)}`,
  );
  if (report.checks.length > 0) out.push('', ...checksSection(report.checks));
  for (const scenario of report.scenarios) out.push('', ...scenarioSection(scenario));
  return `${out.join('\n')}\n`;
}

function checksSection(checks: CheckResult[]): string[] {
  const out: string[] = [
    '### Checks',
    '',
    '| suite | passed | failed | warned | skipped | blocked |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  const column: Record<Verdict, number> = {
    pass: 0,
    fail: 1,
    stale: 1,
    warn: 2,
    skip: 3,
    'expected-fail': 3,
    blocked: 4,
  };
  const bySuite = new Map<string, number[]>();
  for (const c of checks) {
    const row = bySuite.get(c.suite) ?? [0, 0, 0, 0, 0];
    row[column[checkVerdict(c)]]!++;
    bySuite.set(c.suite, row);
  }
  for (const [suite, row] of bySuite) out.push(`| ${cell(suite)} | ${row.join(' | ')} |`);

  const notable = checks.filter((c) => checkVerdict(c) !== 'pass' && checkVerdict(c) !== 'skip');
  if (notable.length > 0) {
    out.push('', '#### Failing and warning checks', '');
    out.push('| | id | title | expected | observed | spec |', '|---|---|---|---|---|---|');
    // Real failures first, then stale entries, warnings, and known failures.
    const order: Verdict[] = ['fail', 'blocked', 'stale', 'warn', 'expected-fail'];
    notable.sort((a, b) => order.indexOf(checkVerdict(a)) - order.indexOf(checkVerdict(b)));
    for (const c of notable) {
      const by = c.blockedBy ? ` (blocked by ${c.blockedBy})` : '';
      const observed = c.reason ? `${c.observed} — ${c.reason}${by}` : c.observed;
      out.push(
        `| ${MARK[checkVerdict(c)]} | \`${code(c.id)}\` | ${cell(c.title)} | ${cell(c.expected)} | ${cell(observed)} | ${spec(c.specRef)} |`,
      );
    }
  }
  return out;
}

function scenarioSection(s: ScenarioResult): string[] {
  const out: string[] = [
    `### ${s.status === 'pass' ? '✓' : '✗'} Scenario \`${code(s.scenario)}\` — ${s.pattern} · ${cell(s.target)} · ${formatMs(s.durationMs)}`,
    '',
  ];
  if (isUnexplainedScenarioFailure(s)) out.push('**The scenario failed without a failing step.**', '');
  if (s.steps.length > 0) {
    out.push('| | step | kind | tool | outcome | duration | p50 | p95 | p99 | expectations |');
    out.push('|---|---|---|---|---|---:|---:|---:|---:|---|');
    for (const step of s.steps) out.push(stepRow(s, step));
  }
  if (s.thresholds.length > 0) {
    out.push('', '**Thresholds**', '', '| | metric | threshold | observed |', '|---|---|---|---|');
    for (const t of s.thresholds) {
      out.push(
        `| ${t.pass ? '✓' : '✗'} | ${cell(t.metric)} | \`${code(t.expression)}\` | ${cell(t.observed)} |`,
      );
    }
  }
  const others = otherHistograms(s);
  if (others.length > 0) {
    out.push(
      '',
      '**Histograms**',
      '',
      '| metric | tags | count | p50 | p95 | p99 | max |',
      '|---|---|---:|---:|---:|---:|---:|',
    );
    for (const h of others) {
      // A signed series (overhead): its signed centre, spread and ± fill the row.
      const signed = formatOverheadSpread(h, formatDuration);
      out.push(
        signed
          ? `| ${cell(h.metric)} | ${cell(formatTags(h.tags))} | ${h.count} | ${cell(signed)} | | | |`
          : `| ${cell(h.metric)} | ${cell(formatTags(h.tags))} | ${h.count} | ${formatDuration(h.p50)} | ` +
              `${formatDuration(h.p95)} | ${formatDuration(h.p99)} | ${formatDuration(h.max)} |`,
      );
    }
  }
  if (s.propagation) {
    const p = s.propagation;
    out.push(
      '',
      `Propagation: trace context ${tri(p.traceContext)} · arguments unchanged ${tri(p.argumentsUnchanged)}`,
    );
  }
  return out;
}

function stepRow(s: ScenarioResult, step: StepResult): string {
  const h = stepHistogram(s, step);
  const pct = h ? [h.p50, h.p95, h.p99].map(formatDuration) : ['—', '—', '—'];
  const mark = step.status === 'pass' ? '✓' : step.status === 'fail' ? '✗' : '–';
  const failed = step.expectations.filter((e) => e.status === 'fail');
  const passed = step.expectations.length - failed.length;
  const notes = failed.map(
    (e) => `✗ ${cell(e.expectation)}: expected ${cell(e.expected)}, observed ${cell(e.observed)}`,
  );
  if (passed > 0) notes.push(`✓ ${passed}`);
  if (step.status === 'fail' && failed.length === 0 && step.reason) notes.push(cell(step.reason));
  let duration = formatDuration(step.durationUs);
  if (step.overheadUs !== undefined) {
    const overhead = formatStepOverhead(
      step.overheadUs,
      overheadEntry(s.histograms, step.name),
      formatDuration,
    );
    duration += ` (overhead ${overhead}${step.attribution ? `, by ${step.attribution}` : ''})`;
  }
  return (
    `| ${mark} | ${cell(step.name)} | ${step.kind} | ${step.tool ? `\`${code(step.tool)}\`` : ''} | ` +
    `${step.outcome ?? ''} | ${duration} | ${pct.join(' | ')} | ${notes.join('<br>')} |`
  );
}

function tri(v: boolean | null): string {
  return v === null ? 'not measured' : v ? '✓' : '✗';
}

function spec(ref: string): string {
  if (/^https?:\/\/\S+$/.test(ref)) {
    const label = ref.replace(/^https?:\/\/(www\.)?/, '');
    return `[${cell(truncate(label, 80))}](${ref.replaceAll(')', '%29').replaceAll(' ', '%20')})`;
  }
  return cell(ref);
}

/** Text for a table cell: HTML-escaped, pipes escaped, newlines as <br>, bounded length. */
function cell(text: string): string {
  return esc(truncate(text, CELL_MAX)).replace(/\r?\n/g, '<br>');
}

/** Text inside a `code span` in a table: only pipes and backticks need care. */
function code(text: string): string {
  return escapeControl(truncate(text, CELL_MAX))
    .replaceAll('`', "'")
    .replaceAll('|', '\\|')
    .replace(/\s+/g, ' ');
}

function esc(text: string): string {
  return escapeControl(text)
    .replaceAll('\\', '\\\\')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|');
}

/**
 * Append Markdown to the GitHub Actions job summary when `$GITHUB_STEP_SUMMARY`
 * is set. Returns the file written, or undefined outside Actions.
 */
export async function appendStepSummary(
  md: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return undefined;
  await appendFile(file, md.endsWith('\n') ? md : `${md}\n`, 'utf8');
  return file;
}
