import { describe, expect, it } from 'vitest';
import { evaluateExpectations, readPath, servedByResult } from '../../../harness/runner/expect.js';
import { type CallOutcome, fromResult } from '../../../harness/runner/outcome.js';
import type { Expect } from '../../../harness/schema/scenario.js';

const TOOL = 'tracker.get_issue';

const ok = (text = 'Issue 7: crash in parse_config', structuredContent?: Record<string, unknown>) =>
  fromResult({ content: [{ type: 'text', text }], ...(structuredContent ? { structuredContent } : {}) });
const isError = (text: string) => fromResult({ content: [{ type: 'text', text }], isError: true });
const rpcError = (code: number, message: string): CallOutcome => ({ outcome: 'error', code, message });
const timeout: CallOutcome = { outcome: 'timeout', message: 'no response within the 100 ms step deadline' };
const transport: CallOutcome = { outcome: 'transport', message: 'connection closed' };

function evaluate(expectation: Expect, o: CallOutcome, durationUs = 1000) {
  return evaluateExpectations('fetch', TOOL, expectation, o, durationUs);
}
/** [expectation, status] pairs: the compact view most tests assert. */
function statuses(expectation: Expect, o: CallOutcome, durationUs = 1000) {
  return evaluate(expectation, o, durationUs).map((r) => [r.expectation, r.status]);
}

describe('outcome', () => {
  it('defaults to ok: a plain result passes, with the full ExpectationResult', () => {
    expect(evaluate({}, ok())).toEqual([
      { step: 'fetch', expectation: 'outcome', status: 'pass', expected: 'ok', observed: 'ok' },
    ]);
  });

  it.each([
    ['isError', isError('boom'), 'isError: boom'],
    ['error', rpcError(-32602, 'bad params'), 'JSON-RPC error -32602: bad params'],
    ['timeout', timeout, 'timeout: no response within the 100 ms step deadline'],
    ['transport', transport, 'transport: connection closed'],
  ])('the default ok fails on %s and says what happened', (_name, o, observed) => {
    expect(evaluate({}, o)).toEqual([
      { step: 'fetch', expectation: 'outcome', status: 'fail', expected: 'ok', observed },
    ]);
  });

  it('stays ok by default when other expectations are given', () => {
    expect(statuses({ text: 'boom' }, isError('boom'))).toEqual([
      ['outcome', 'fail'],
      ['text', 'pass'],
    ]);
    expect(statuses({ within: 10 }, ok())).toEqual([
      ['outcome', 'pass'],
      ['within', 'pass'],
    ]);
  });

  it('an explicit outcome must match exactly', () => {
    expect(statuses({ outcome: 'isError' }, isError('x'))).toEqual([['outcome', 'pass']]);
    expect(statuses({ outcome: 'isError' }, ok())).toEqual([['outcome', 'fail']]);
    expect(statuses({ outcome: 'timeout' }, timeout)).toEqual([['outcome', 'pass']]);
    expect(statuses({ outcome: 'error' }, isError('x'))).toEqual([['outcome', 'fail']]);
  });

  it('any adds no outcome check at all', () => {
    expect(evaluate({ outcome: 'any' }, transport)).toEqual([]);
    expect(statuses({ outcome: 'any', text: 'x' }, isError('x'))).toEqual([['text', 'pass']]);
  });
});

describe('code', () => {
  it('implies outcome error and compares the JSON-RPC code', () => {
    expect(evaluate({ code: -32602 }, rpcError(-32602, 'bad params'))).toEqual([
      {
        step: 'fetch',
        expectation: 'outcome',
        status: 'pass',
        expected: 'error',
        observed: expect.any(String),
      },
      {
        step: 'fetch',
        expectation: 'code',
        status: 'pass',
        expected: 'JSON-RPC error -32602',
        observed: 'JSON-RPC error -32602',
      },
    ]);
  });

  it('fails on another code, and on a result (which it describes)', () => {
    expect(evaluate({ code: -32602 }, rpcError(-32601, 'no such method'))[1]).toMatchObject({
      status: 'fail',
      observed: 'JSON-RPC error -32601',
    });
    expect(evaluate({ code: -32602 }, ok())).toEqual([
      { step: 'fetch', expectation: 'outcome', status: 'fail', expected: 'error', observed: 'ok' },
      {
        step: 'fetch',
        expectation: 'code',
        status: 'fail',
        expected: 'JSON-RPC error -32602',
        observed: 'ok',
      },
    ]);
  });
});

describe('text', () => {
  const twoParts = fromResult({
    content: [
      { type: 'text', text: 'line one' },
      { type: 'image', data: 'AAAA', mimeType: 'image/png' },
      { type: 'text', text: 'line two' },
    ],
  });

  it('a string is a substring of all text parts joined by newlines', () => {
    expect(evaluate({ text: 'one\nline two' }, twoParts)[1]).toEqual({
      step: 'fetch',
      expectation: 'text',
      status: 'pass',
      expected: 'text containing "one\\nline two"',
      observed: '"line one line two"',
    });
    expect(evaluate({ text: 'three' }, twoParts)[1]?.status).toBe('fail');
  });

  it('matches is a regular expression', () => {
    expect(evaluate({ text: { matches: '^Issue \\d+:' } }, ok())[1]).toMatchObject({
      status: 'pass',
      expected: 'text matching /^Issue \\d+:/',
    });
    expect(evaluate({ text: { matches: '^crash' } }, ok())[1]?.status).toBe('fail');
  });

  it('equals is the whole text', () => {
    expect(evaluate({ text: { equals: 'Issue 7: crash in parse_config' } }, ok())[1]).toMatchObject({
      status: 'pass',
      expected: 'text equal to "Issue 7: crash in parse_config"',
    });
    expect(evaluate({ text: { equals: 'Issue 7' } }, ok())[1]?.status).toBe('fail');
  });

  it('on an error there is no text; observed describes the outcome', () => {
    expect(evaluate({ outcome: 'any', text: 'x' }, rpcError(-1, 'nope'))).toEqual([
      {
        step: 'fetch',
        expectation: 'text',
        status: 'fail',
        expected: 'text containing "x"',
        observed: 'JSON-RPC error -1: nope',
      },
    ]);
  });
});

describe('structured', () => {
  const o = ok('', {
    id: 7,
    issue: { title: 'crash', labels: ['bug', 'p1'] },
    matches: [{ path: 'src/config.ts', line: 42 }],
  });

  it('checks every key path by deep equality, one result each', () => {
    expect(
      evaluate(
        {
          structured: {
            id: 7,
            'issue.title': 'crash',
            'issue.labels': ['bug', 'p1'],
            'issue.labels[1]': 'p1',
            'matches[0].path': 'src/config.ts',
            'matches[0]': { path: 'src/config.ts', line: 42 },
          },
        },
        o,
      )
        .slice(1)
        .map((r) => [r.expectation, r.status]),
    ).toEqual([
      ['structured.id', 'pass'],
      ['structured.issue.title', 'pass'],
      ['structured.issue.labels', 'pass'],
      ['structured.issue.labels[1]', 'pass'],
      ['structured.matches[0].path', 'pass'],
      ['structured.matches[0]', 'pass'],
    ]);
  });

  it('reports a wrong value, a missing path and a missing structuredContent', () => {
    const [, wrong, missing] = evaluate({ structured: { 'matches[0].line': 41, 'matches[1].path': 'x' } }, o);
    expect(wrong).toEqual({
      step: 'fetch',
      expectation: 'structured.matches[0].line',
      status: 'fail',
      expected: '41',
      observed: '42',
    });
    expect(missing).toMatchObject({ status: 'fail', observed: 'no matches[1].path' });
    expect(evaluate({ structured: { id: 7 } }, ok())[1]).toMatchObject({
      status: 'fail',
      expected: '7',
      observed: 'no structuredContent',
    });
  });

  it('a value of another type is not equal ("7" is not 7)', () => {
    expect(evaluate({ structured: { id: '7' } }, o)[1]).toMatchObject({ status: 'fail', observed: '7' });
  });
});

describe('readPath', () => {
  const v = { a: { b: [{ c: 1 }, { c: null }] }, 'x-y': 2 };
  it('reads dotted keys and [n] indexes', () => {
    expect(readPath(v, 'a.b[1].c')).toEqual({ found: true, value: null });
    expect(readPath(v, 'a.b[0]')).toEqual({ found: true, value: { c: 1 } });
    expect(readPath(v, 'x-y')).toEqual({ found: true, value: 2 });
  });
  it('does not find absent, inherited or out-of-range keys', () => {
    expect(readPath(v, 'a.b[2]')).toEqual({ found: false });
    expect(readPath(v, 'a.z')).toEqual({ found: false });
    expect(readPath(v, 'a.toString')).toEqual({ found: false });
    expect(readPath(undefined, 'a')).toEqual({ found: false });
  });
});

describe('mentions', () => {
  it('every string must appear in the error message', () => {
    expect(
      evaluate(
        { outcome: 'error', mentions: ['tracker', 'timeout'] },
        rpcError(-32001, 'tracker: timeout'),
      )[1],
    ).toEqual({
      step: 'fetch',
      expectation: 'mentions',
      status: 'pass',
      expected: "the error mentions 'tracker', 'timeout'",
      observed: '"tracker: timeout"',
    });
  });

  it('names what is missing', () => {
    expect(
      evaluate({ outcome: 'error', mentions: ['tracker', 'retry'] }, rpcError(-1, 'tracker down'))[1],
    ).toMatchObject({ status: 'fail', observed: '"tracker down" (missing retry)' });
  });

  it('reads the text of an isError result', () => {
    expect(statuses({ outcome: 'isError', mentions: ['quota'] }, isError('quota exceeded'))).toEqual([
      ['outcome', 'pass'],
      ['mentions', 'pass'],
    ]);
  });

  it('fails when there is no message (a success)', () => {
    expect(evaluate({ outcome: 'any', mentions: ['x'] }, ok())).toEqual([
      {
        step: 'fetch',
        expectation: 'mentions',
        status: 'fail',
        expected: "the error mentions 'x'",
        observed: 'no error message (ok)',
      },
    ]);
  });
});

describe('namesFailing', () => {
  it('true wants the server or the tool of the called logical name', () => {
    const [, byTool] = evaluate({ outcome: 'error', namesFailing: true }, rpcError(-1, 'get_issue failed'));
    expect(byTool).toEqual({
      step: 'fetch',
      expectation: 'namesFailing',
      status: 'pass',
      expected: "the error names 'tracker' or 'get_issue'",
      observed: '"get_issue failed"',
    });
    expect(
      evaluate({ outcome: 'error', namesFailing: true }, rpcError(-1, 'tracker is down'))[1]?.status,
    ).toBe('pass');
    expect(
      evaluate({ outcome: 'error', namesFailing: true }, rpcError(-1, 'upstream failed'))[1]?.status,
    ).toBe('fail');
  });

  it('true on a bare tool name wants the tool only', () => {
    const [only] = evaluateExpectations(
      's',
      'get_issue',
      { outcome: 'any', namesFailing: true },
      transport,
      1,
    );
    expect(only).toMatchObject({ expected: "the error names 'get_issue'", status: 'fail' });
  });

  it('an explicit server or tool replaces the logical ones', () => {
    expect(
      evaluate(
        { outcome: 'error', namesFailing: { server: 'api' } },
        rpcError(-1, 'tracker.get_issue failed'),
      )[1],
    ).toMatchObject({ status: 'fail', expected: "the error names 'api'" });
    expect(
      evaluate({ outcome: 'error', namesFailing: { tool: 'search' } }, rpcError(-1, 'search broke'))[1],
    ).toMatchObject({ status: 'pass', expected: "the error names 'search'" });
  });

  it('fails without a message, describing the outcome', () => {
    expect(evaluate({ namesFailing: true }, ok())[1]).toMatchObject({
      status: 'fail',
      observed: 'no error message (ok)',
    });
  });

  it('namesFailing: {} can never pass (the schema accepts it; see scenario-schema.test.ts)', () => {
    expect(evaluate({ outcome: 'any', namesFailing: {} }, rpcError(-1, 'anything at all'))).toEqual([
      {
        step: 'fetch',
        expectation: 'namesFailing',
        status: 'fail',
        expected: 'the error names ',
        observed: '"anything at all"',
      },
    ]);
  });
});

describe('within', () => {
  it('compares the end-to-end µs with the bound in ms, inclusive', () => {
    expect(evaluate({ within: 200 }, ok(), 150_000)[1]).toEqual({
      step: 'fetch',
      expectation: 'within',
      status: 'pass',
      expected: 'within 200ms',
      observed: '150ms',
    });
    expect(evaluate({ within: 200 }, ok(), 200_000)[1]?.status).toBe('pass');
    expect(evaluate({ within: 200 }, ok(), 250_000)[1]).toMatchObject({ status: 'fail', observed: '250ms' });
    // 1 µs over fails, though formatDuration rounds it to a confusing "within 200ms / observed 200ms".
    expect(evaluate({ within: 200 }, ok(), 200_001)[1]).toMatchObject({ status: 'fail', observed: '200ms' });
    expect(evaluate({ within: 0.5 }, ok(), 400)[1]).toMatchObject({
      status: 'pass',
      expected: 'within 500µs',
    });
  });
});

describe('servedByResult', () => {
  it('passes when the wanted server is among those attributed', () => {
    expect(servedByResult('fetch', 'tracker', ['api', 'tracker'], true)).toEqual({
      step: 'fetch',
      expectation: 'servedBy',
      status: 'pass',
      expected: 'served by tracker',
      observed: 'served by api, tracker',
    });
  });

  it('fails with the servers that did serve, or none', () => {
    expect(servedByResult('fetch', 'tracker', ['api'], true)).toMatchObject({
      status: 'fail',
      observed: 'served by api',
    });
    expect(servedByResult('fetch', 'tracker', [], true)).toMatchObject({
      status: 'fail',
      observed: 'no downstream call',
    });
  });

  it('says when nothing could be attributed', () => {
    expect(servedByResult('fetch', 'tracker', [], false)).toMatchObject({
      status: 'fail',
      observed: 'no downstream call could be attributed to this step',
    });
  });
});
