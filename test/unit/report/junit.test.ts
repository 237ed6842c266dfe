import { describe, expect, it } from 'vitest';
import { junitReporter, xmlSafe } from '../../../harness/report/junit.js';
import { fixtureReport, NASTY, passingReport } from './fixture.js';
import { all, parseXml } from './xml.js';

async function render() {
  const text = await junitReporter.render(fixtureReport());
  return { text, root: parseXml(text) };
}

describe('junit reporter', () => {
  it('is well-formed XML with one testsuite per check suite and per scenario', async () => {
    const { root } = await render();
    expect(root.name).toBe('testsuites');
    expect(all(root, 'testsuite').map((s) => s.attrs.name)).toEqual([
      'gateway',
      'security',
      'scenario failover (gateway: gw.yaml)',
      'scenario pipeline (chain: chain.yaml)',
    ]);
  });

  it('has one testcase per check, expectation and threshold, with the right failure and skip counts', async () => {
    const { root } = await render();
    const cases = all(root, 'testcase');
    expect(cases).toHaveLength(15);
    expect(cases.filter((c) => all(c, 'failure').length > 0)).toHaveLength(5);
    expect(cases.filter((c) => all(c, 'skipped').length > 0)).toHaveLength(2);
    expect(root.attrs).toMatchObject({ tests: '15', failures: '5', skipped: '2', errors: '0' });
  });

  it('uses the documented classnames', async () => {
    const { root } = await render();
    const classes = new Set(all(root, 'testcase').map((c) => c.attrs.classname));
    expect(classes).toEqual(
      new Set([
        'mcp-harness.gateway',
        'mcp-harness.security',
        'mcp-harness.scenario.failover',
        'mcp-harness.scenario.pipeline',
      ]),
    );
  });

  it('puts expected and observed in the failure message, escaping <, & and control characters', async () => {
    const { text, root } = await render();
    const failing = all(root, 'testcase').find((c) =>
      c.attrs.name?.startsWith('gateway.iserror-propagated'),
    )!;
    const failure = all(failing, 'failure')[0]!;
    expect(failure.attrs.message).toContain('expected: result.isError === true; observed: a <b> & "c"');
    expect(failure.attrs.message).toContain('\\u0001\\u001b[31m');
    expect(failure.text).toContain('reason: the gateway turned the tool error into a JSON-RPC error');
    expect(failure.text).toContain('"code": -32603');
    expect(text).toContain('a &lt;b> &amp; &quot;c&quot;');
    expect(text).not.toContain('\u0001');
    expect(text).not.toContain('\u001b');
  });

  it('marks baseline failures skipped with a message, warnings as passing with system-out', async () => {
    const { root } = await render();
    const cases = all(root, 'testcase');
    const known = cases.find((c) => c.attrs.name?.startsWith('gateway.token-passthrough'))!;
    expect(all(known, 'skipped')[0]!.attrs.message).toBe('expected failure (baseline)');
    expect(all(known, 'failure')).toHaveLength(0);
    const warn = cases.find((c) => c.attrs.name?.startsWith('gateway.latency-budget'))!;
    expect(all(warn, 'failure')).toHaveLength(0);
    expect(all(warn, 'system-out')[0]!.text).toMatch(/^warning: /);
    const skip = cases.find((c) => c.attrs.name?.startsWith('gateway.sse-resume'))!;
    expect(all(skip, 'skipped')[0]!.attrs.message).toBe('target has no SSE');
    const stale = cases.find((c) => c.attrs.name?.startsWith('gateway.hang-timeout'))!;
    expect(all(stale, 'failure')[0]!.attrs.message).toMatch(/stale baseline entry/);
  });

  it('reports expectations, thresholds and unexplained step failures of scenarios', async () => {
    const { root } = await render();
    const names = all(root, 'testcase')
      .filter((c) => c.attrs.classname?.startsWith('mcp-harness.scenario.'))
      .map((c) => [c.attrs.name, all(c, 'failure').length]);
    expect(names).toEqual([
      ['search › isError: false', 0],
      ['search › within 200ms', 0],
      ['fetch › within 200ms', 1],
      ['fetch › no hang', 0],
      ['threshold step_duration p(95)<50ms', 0],
      ['threshold step_duration p(99)<100ms', 1],
      ['lookup › text contains "x"', 0],
      ['summarize › step', 1],
    ]);
  });

  it('keeps CDATA well-formed when the text contains several ]]> terminators', async () => {
    const report = passingReport();
    report.checks[0] = { ...report.checks[0]!, status: 'fail', observed: `x]]>y]]>z ${NASTY}` };
    expect(() => parseXml(junitReporter.render(report) as string)).not.toThrow();
  });

  it('xmlSafe() turns forbidden characters into visible escapes and leaves the rest', () => {
    expect(xmlSafe('a\u0000b\u000bc\td\ne\uD800')).toBe('a\\u0000b\\u000bc\td\ne\\ud800');
    expect(xmlSafe('😀 ok')).toBe('😀 ok');
  });
});
