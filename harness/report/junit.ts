import junitDefault, { type Builder, type TestCase, type TestSuite } from 'junit-report-builder';
import {
  type CheckResult,
  checkVerdict,
  isUnexplainedScenarioFailure,
  isUnexplainedStepFailure,
  type RunReport,
  type ScenarioResult,
} from '../schema/result.js';
import { formatDuration } from './format.js';
import type { Reporter } from './reporter.js';

/**
 * JUnit XML (junit-report-builder): one testsuite per check suite and per
 * scenario; one testcase per check, per expectation and per threshold.
 * A failed step or scenario that no expectation/threshold explains gets a
 * testcase of its own, so a failing run never renders as all green.
 */
export const junitReporter: Reporter = {
  name: 'junit',
  fileName: 'junit.xml',
  render(report: RunReport): string {
    const builder = rootBuilder().newBuilder().name('mcp-harness');
    for (const [suite, checks] of groupBySuite(report.checks)) addCheckSuite(builder, suite, checks);
    for (const scenario of report.scenarios) addScenarioSuite(builder, scenario);
    return builder.build();
  },
};

// The package is CommonJS (`module.exports = builder`) but its typings declare
// an ES default export; accept either shape at runtime.
export function rootBuilder(): Builder {
  const mod = junitDefault as unknown as Builder & { default?: Builder };
  return mod.default ?? mod;
}

function groupBySuite(checks: CheckResult[]): Map<string, CheckResult[]> {
  const suites = new Map<string, CheckResult[]>();
  for (const c of checks) {
    const list = suites.get(c.suite) ?? [];
    list.push(c);
    suites.set(c.suite, list);
  }
  return suites;
}

function addCheckSuite(builder: Builder, suite: string, checks: CheckResult[]): void {
  const ts = builder
    .testSuite()
    .name(xmlSafe(suite))
    .time(seconds(checks.reduce((sum, c) => sum + c.durationMs, 0)));
  for (const c of checks) {
    const tc = ts
      .testCase()
      .className(xmlSafe(`mcp-harness.${c.suite}`))
      .name(xmlSafe(c.title ? `${c.id} — ${c.title}` : c.id))
      .time(seconds(c.durationMs));
    if (c.specRef) tc.property('spec', xmlSafe(c.specRef));
    if (c.severity) tc.property('severity', c.severity);
    const detail = checkDetail(c);
    switch (checkVerdict(c)) {
      case 'pass':
        break;
      case 'fail':
        tc.failure(xmlSafe(expectedObserved(c)), c.severity ?? 'fail').stacktrace(cdata(detail));
        break;
      case 'stale':
        tc.failure(
          'stale baseline entry: this check passes now; remove it from the expected-failures file',
          'stale',
        ).stacktrace(cdata(detail));
        break;
      case 'warn':
        tc.standardOutput(cdata(`warning: ${c.reason ?? expectedObserved(c)}\n${detail}`));
        break;
      case 'skip':
        skipped(tc, c.reason ?? 'skipped');
        if (c.reason) tc.standardOutput(cdata(`skipped: ${c.reason}`));
        break;
      case 'blocked':
        tc.failure(
          xmlSafe(`blocked: ${c.reason ?? 'the SUT kept the check from running'}`),
          'blocked',
        ).stacktrace(cdata(detail));
        break;
      case 'expected-fail':
        skipped(tc, 'expected failure (baseline)');
        tc.standardOutput(cdata(`expected failure (baseline)\n${detail}`));
        break;
    }
  }
}

function addScenarioSuite(builder: Builder, s: ScenarioResult): void {
  const className = xmlSafe(`mcp-harness.scenario.${s.scenario}`);
  const ts: TestSuite = builder
    .testSuite()
    .name(xmlSafe(`scenario ${s.scenario} (${s.pattern}: ${s.target})`))
    .timestamp(s.startedAt.slice(0, 19))
    .time(seconds(s.durationMs));
  ts.property('target', xmlSafe(s.target)).property('pattern', s.pattern);
  for (const step of s.steps) {
    for (const e of step.expectations) {
      const tc = ts
        .testCase()
        .className(className)
        .name(xmlSafe(`${e.step} › ${e.expectation}`));
      if (e.status === 'fail') {
        const msg = `expected: ${e.expected}; observed: ${e.observed}`;
        tc.failure(xmlSafe(msg), 'expectation').stacktrace(
          cdata(e.reason ? `${msg}\nreason: ${e.reason}` : msg),
        );
      }
    }
    if (isUnexplainedStepFailure(step)) {
      const what = [`step ${step.kind} failed`, step.outcome && `outcome: ${step.outcome}`, step.reason]
        .filter(Boolean)
        .join('; ');
      ts.testCase()
        .className(className)
        .name(xmlSafe(`${step.name} › step`))
        .time(step.durationUs / 1e6)
        .failure(xmlSafe(what), 'step')
        .stacktrace(cdata(`${what}\nduration: ${formatDuration(step.durationUs)}`));
    }
  }
  for (const t of s.thresholds) {
    const tc = ts
      .testCase()
      .className(className)
      .name(xmlSafe(`threshold ${t.metric} ${t.expression}`));
    if (!t.pass)
      tc.failure(xmlSafe(`threshold ${t.expression} crossed: observed ${t.observed}`), 'threshold');
    else tc.standardOutput(cdata(`observed ${t.observed}`));
  }
  if (isUnexplainedScenarioFailure(s)) {
    ts.testCase()
      .className(className)
      .name('scenario')
      .failure('scenario failed without a failing step', 'scenario');
  }
}

function expectedObserved(c: CheckResult): string {
  return `expected: ${c.expected}; observed: ${c.observed}`;
}

function checkDetail(c: CheckResult): string {
  const lines = [`expected: ${c.expected}`, `observed: ${c.observed}`];
  if (c.reason) lines.push(`reason: ${c.reason}`);
  if (c.specRef) lines.push(`spec: ${c.specRef}`);
  if (c.evidence && Object.keys(c.evidence).length > 0) lines.push(`evidence: ${safeJson(c.evidence)}`);
  return lines.join('\n');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2) ?? '';
  } catch {
    return String(v);
  }
}

/** `<skipped message="…"/>`: the builder has no skipped message, so add it to the built element. */
function skipped(tc: TestCase, message: string): void {
  tc.skipped();
  const build = tc.build.bind(tc);
  tc.build = (parent) => {
    const element = build(parent);
    for (const child of element.children) {
      if ((child as { name?: unknown }).name === 'skipped')
        (child as typeof element).att('message', xmlSafe(message));
    }
    return element;
  };
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

// Characters XML 1.0 cannot carry at all, plus the C1/DEL range it discourages.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Make text safe for XML by showing forbidden characters as visible escapes (the builder escapes `<&"`). */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for a CDATA section: XML-safe, and never containing the `]]>` terminator. */
export function cdata(text: string): string {
  return xmlSafe(text).replaceAll(']]>', ']] >');
}
