import { isDeepStrictEqual } from 'node:util';
import { formatDuration } from '../measure/format.js';
import type { ExpectationResult } from '../schema/result.js';
import type { Expect, TextMatch } from '../schema/scenario.js';
import { splitLogical } from '../target/naming.js';
import { type CallOutcome, clip, describeOutcome, textOf } from './outcome.js';

/**
 * Expectations on one call, each one ExpectationResult. `servedBy` needs the
 * mocks' call logs, so it is evaluated later by attribution (see
 * `servedByResult`); everything else is known when the call returns.
 */
export function evaluateExpectations(
  step: string,
  tool: string,
  expect: Expect,
  o: CallOutcome,
  durationUs: number,
): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  const add = (expectation: string, pass: boolean, expected: string, observed: string) =>
    out.push({ step, expectation, status: pass ? 'pass' : 'fail', expected, observed });

  // Giving other expectations does not drop the outcome check: success is expected unless said otherwise.
  const wantOutcome = expect.outcome ?? (expect.code !== undefined ? 'error' : 'ok');
  if (wantOutcome !== 'any') add('outcome', o.outcome === wantOutcome, wantOutcome, describeOutcome(o));
  if (expect.code !== undefined) {
    add(
      'code',
      o.code === expect.code,
      `JSON-RPC error ${expect.code}`,
      o.code === undefined ? describeOutcome(o) : `JSON-RPC error ${o.code}`,
    );
  }
  if (expect.text !== undefined) {
    const text = textOf(o.result);
    add(
      'text',
      matchText(text, expect.text),
      describeMatch(expect.text),
      o.result ? JSON.stringify(clip(text)) : describeOutcome(o),
    );
  }
  if (expect.structured !== undefined) {
    const sc = o.result?.structuredContent;
    for (const [path, want] of Object.entries(expect.structured)) {
      const got = readPath(sc, path);
      add(
        `structured.${path}`,
        got.found && isDeepStrictEqual(got.value, want),
        JSON.stringify(want),
        got.found
          ? clip(JSON.stringify(got.value))
          : sc === undefined
            ? 'no structuredContent'
            : `no ${path}`,
      );
    }
  }
  const message = o.message ?? '';
  if (expect.mentions !== undefined) {
    const missing = expect.mentions.filter((m) => !message.includes(m));
    add(
      'mentions',
      message !== '' && missing.length === 0,
      `the error mentions ${expect.mentions.map((m) => `'${m}'`).join(', ')}`,
      message
        ? `${JSON.stringify(clip(message))}${missing.length ? ` (missing ${missing.join(', ')})` : ''}`
        : `no error message (${describeOutcome(o)})`,
    );
  }
  if (expect.namesFailing !== undefined) {
    const logical = splitLogical(tool);
    const names =
      expect.namesFailing === true ? { server: logical.server, tool: logical.tool } : expect.namesFailing;
    const wanted = [names.server, names.tool].filter((n): n is string => Boolean(n));
    add(
      'namesFailing',
      wanted.some((n) => message.includes(n)),
      `the error names ${wanted.map((n) => `'${n}'`).join(' or ')}`,
      message ? JSON.stringify(clip(message)) : `no error message (${describeOutcome(o)})`,
    );
  }
  if (expect.within !== undefined) {
    const boundUs = Math.round(expect.within * 1000);
    add('within', durationUs <= boundUs, `within ${formatDuration(boundUs)}`, formatDuration(durationUs));
  }
  return out;
}

/** The deferred `servedBy` expectation, once attribution knows which mocks served the call. */
export function servedByResult(
  step: string,
  want: string,
  servers: readonly string[],
  attributed: boolean,
): ExpectationResult {
  const observed = !attributed
    ? 'no downstream call could be attributed to this step'
    : servers.length
      ? `served by ${servers.join(', ')}`
      : 'no downstream call';
  return {
    step,
    expectation: 'servedBy',
    status: servers.includes(want) ? 'pass' : 'fail',
    expected: `served by ${want}`,
    observed,
  };
}

function matchText(text: string, m: TextMatch): boolean {
  if (typeof m === 'string') return text.includes(m);
  if ('matches' in m) return new RegExp(m.matches).test(text);
  return text === m.equals;
}

function describeMatch(m: TextMatch): string {
  if (typeof m === 'string') return `text containing ${JSON.stringify(m)}`;
  if ('matches' in m) return `text matching /${m.matches}/`;
  return `text equal to ${JSON.stringify(m.equals)}`;
}

/** Read `a.b[0].c` from a value. */
export function readPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  let v = value;
  for (const key of path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return { found: false };
    v = (v as Record<string, unknown>)[key];
  }
  return { found: true, value: v };
}
