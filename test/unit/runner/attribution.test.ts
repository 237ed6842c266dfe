import { describe, expect, it } from 'vitest';
import {
  type Attributed,
  attribute,
  propagation,
  traceIdOf,
  unionUs,
} from '../../../harness/runner/attribution.js';
import { CORRELATION_ARG } from '../../../harness/runner/call.js';
import type { CallTrace } from '../../../harness/runner/context.js';
import type { CallRecord } from '../../../harness/schema/call-log.js';

const TRACE_A = 'a'.repeat(32);
const TRACE_B = 'b'.repeat(32);
const TRACE_C = 'c'.repeat(32);
const traceparent = (traceId: string, span = '1'.repeat(16)) => `00-${traceId}-${span}-01`;

let seq = 0;
function record(partial: Partial<CallRecord> & Pick<CallRecord, 'mock' | 'receivedUs'>): CallRecord {
  seq += 1;
  return {
    seq,
    instance: `${partial.mock}-1`,
    connection: 'c1',
    kind: 'request',
    id: seq,
    method: 'tools/call',
    outcome: 'result',
    faults: [],
    sent: [],
    ...partial,
  };
}

function call(partial: Partial<CallTrace> & Pick<CallTrace, 'tool' | 't0' | 't1'>): CallTrace {
  return {
    result: {
      name: partial.step ?? partial.tool,
      kind: 'call',
      status: 'pass',
      durationUs: 0,
      expectations: [],
    },
    step: partial.tool,
    exposed: partial.tool,
    args: {},
    traceId: TRACE_A,
    outcome: 'ok',
    concurrent: false,
    ...partial,
  };
}

/** [method, record seqs] per call: the compact view of an attribution. */
const summary = (list: Attributed[]) => list.map((a) => [a.method, a.records.map((r) => r.seq)]);

describe('traceIdOf', () => {
  it('extracts the trace id of a W3C traceparent', () => {
    expect(traceIdOf(traceparent(TRACE_A))).toBe(TRACE_A);
    expect(traceIdOf(`00-${'0af7651916cd43dd8448eb211c80319c'}-b7ad6b7169203331-01`)).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
  });
  it('rejects anything else', () => {
    expect(traceIdOf(undefined)).toBeUndefined();
    expect(traceIdOf('')).toBeUndefined();
    expect(traceIdOf(traceparent('A'.repeat(32)))).toBeUndefined();
    expect(traceIdOf(`00-${'a'.repeat(31)}-${'1'.repeat(16)}-01`)).toBeUndefined();
    expect(traceIdOf(`${traceparent(TRACE_A)}-extra`)).toBeUndefined();
  });
});

describe('attribute: methods', () => {
  it('traceparent: records carrying the call’s trace id, wherever they fall in time', () => {
    const c = call({ tool: 'tracker.get_issue', t0: 1000, t1: 2000, traceId: TRACE_A });
    const r1 = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 1100,
      completedUs: 1500,
      traceparent: traceparent(TRACE_A),
    });
    // A gateway fan-out to another server, and a late retry outside the window: same trace.
    const r2 = record({
      mock: 'api',
      tool: 'lookup',
      receivedUs: 1200,
      completedUs: 1400,
      traceparent: traceparent(TRACE_A, '2'.repeat(16)),
    });
    const r3 = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 5000,
      completedUs: 5100,
      traceparent: traceparent(TRACE_A),
    });
    const other = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 1300,
      completedUs: 1350,
      traceparent: traceparent(TRACE_B),
    });
    const [a] = attribute([c], [r1, r2, r3, other], 'auto');
    expect(a?.method).toBe('traceparent');
    expect(a?.records).toEqual([r1, r2, r3]);
    // [1100,1500] ∪ [1200,1400] ∪ [5000,5100]
    expect(a?.downstreamUs).toBe(500);
    expect(a?.call).toBe(c);
  });

  it('argument: the correlation value under CORRELATION_ARG', () => {
    expect(CORRELATION_ARG).toBe('_mcp_harness_call');
    const c = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, correlationId: 'run-1-1', traceId: TRACE_C });
    const tagged = record({
      mock: 'tracker',
      tool: 'renamed',
      receivedUs: 10,
      completedUs: 30,
      arguments: { id: 1, [CORRELATION_ARG]: 'run-1-1' },
    });
    const otherTag = record({
      mock: 'tracker',
      tool: 'renamed',
      receivedUs: 40,
      completedUs: 50,
      arguments: { [CORRELATION_ARG]: 'run-1-2' },
    });
    const [a] = attribute([c], [otherTag, tagged], 'auto');
    expect(a).toMatchObject({ method: 'argument', downstreamUs: 20 });
    expect(a?.records).toEqual([tagged]);
  });

  it('match: same server, tool and arguments inside the call’s window', () => {
    const c = call({ tool: 'tracker.get_issue', t0: 100, t1: 200, args: { id: 7 }, traceId: TRACE_C });
    const same = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 150,
      completedUs: 180,
      arguments: { id: 7 },
    });
    const otherArgs = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 160,
      completedUs: 170,
      arguments: { id: 8 },
    });
    const before = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 99,
      completedUs: 120,
      arguments: { id: 7 },
    });
    const after = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 201,
      completedUs: 220,
      arguments: { id: 7 },
    });
    const [a] = attribute([c], [before, otherArgs, same, after], 'auto');
    expect(a).toMatchObject({ method: 'match', downstreamUs: 30 });
    expect(a?.records).toEqual([same]);
  });

  it('match: a record without arguments matches a call with {}', () => {
    const c = call({ tool: 'tracker.ping', t0: 0, t1: 10, traceId: TRACE_C });
    const r = record({ mock: 'tracker', tool: 'ping', receivedUs: 5, completedUs: 6 });
    expect(summary(attribute([c], [r], 'auto'))).toEqual([['match', [r.seq]]]);
  });

  it('window: a step that ran alone takes every unclaimed record in its window', () => {
    const c = call({ tool: 'chain.run', t0: 0, t1: 1000, args: { q: 'x' }, traceId: TRACE_C });
    const r1 = record({
      mock: 'fetcher',
      tool: 'fetch',
      receivedUs: 100,
      completedUs: 300,
      arguments: { url: 'u' },
    });
    const r2 = record({ mock: 'store', tool: 'put', receivedUs: 400, completedUs: 500 });
    const outside = record({ mock: 'store', tool: 'put', receivedUs: 1001, completedUs: 1100 });
    const [a] = attribute([c], [r1, r2, outside], 'auto');
    expect(a).toMatchObject({ method: 'window', downstreamUs: 300 });
    expect(a?.records).toEqual([r1, r2]);
  });

  it('window is not used for concurrent steps: none instead', () => {
    const c = call({ tool: 'chain.run', t0: 0, t1: 1000, traceId: TRACE_C, concurrent: true });
    const r = record({ mock: 'fetcher', tool: 'fetch', receivedUs: 100, completedUs: 300 });
    expect(attribute([c], [r], 'auto')).toEqual([
      { call: c, method: 'none', records: [], downstreamUs: undefined },
    ]);
  });

  it('none: nothing matched (an empty window)', () => {
    const c = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, traceId: TRACE_C });
    const late = record({ mock: 'tracker', tool: 'get_issue', receivedUs: 500, completedUs: 600 });
    expect(attribute([c], [late], 'auto')).toEqual([
      { call: c, method: 'none', records: [], downstreamUs: undefined },
    ]);
    expect(attribute([c], [], 'auto')[0]?.method).toBe('none');
  });

  it('exact methods come first: a fuzzy window cannot take a traced record of a later call', () => {
    // The first call ran alone with a window covering the second call's traced record.
    const first = call({ tool: 'chain.run', t0: 0, t1: 1000, traceId: TRACE_B });
    const second = call({ tool: 'tracker.get_issue', t0: 400, t1: 600, traceId: TRACE_A });
    const traced = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 500,
      completedUs: 550,
      traceparent: traceparent(TRACE_A),
    });
    const loose = record({ mock: 'store', tool: 'put', receivedUs: 100, completedUs: 200 });
    expect(summary(attribute([first, second], [traced, loose], 'auto'))).toEqual([
      ['window', [loose.seq]],
      ['traceparent', [traced.seq]],
    ]);
  });
});

describe('attribute: each record is claimed once', () => {
  it('two sequential identical calls each get their own record', () => {
    const c1 = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, args: { id: 1 }, traceId: TRACE_B });
    const c2 = call({ tool: 'tracker.get_issue', t0: 100, t1: 200, args: { id: 1 }, traceId: TRACE_C });
    // r1 arrives exactly at the boundary both windows share.
    const r1 = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 100,
      completedUs: 100,
      arguments: { id: 1 },
    });
    const r2 = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 150,
      completedUs: 190,
      arguments: { id: 1 },
    });
    const out = attribute([c1, c2], [r1, r2], 'auto');
    expect(summary(out)).toEqual([
      ['match', [r1.seq]],
      ['match', [r2.seq]],
    ]);
    // A zero-length interval covers no time.
    expect(out[0]?.downstreamUs).toBe(0);
  });

  it('concurrent identical calls share the window but take one matching record each', () => {
    const c1 = call({
      tool: 'tracker.get_issue',
      t0: 0,
      t1: 100,
      args: { id: 1 },
      traceId: TRACE_B,
      concurrent: true,
    });
    const c2 = call({
      tool: 'tracker.get_issue',
      t0: 0,
      t1: 100,
      args: { id: 1 },
      traceId: TRACE_C,
      concurrent: true,
    });
    const r1 = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 10,
      completedUs: 50,
      arguments: { id: 1 },
    });
    const r2 = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 20,
      completedUs: 60,
      arguments: { id: 1 },
    });
    const c3 = call({
      tool: 'tracker.get_issue',
      t0: 0,
      t1: 100,
      args: { id: 1 },
      traceId: TRACE_A,
      concurrent: true,
    });
    expect(summary(attribute([c1, c2, c3], [r1, r2], 'auto'))).toEqual([
      ['match', [r1.seq]],
      ['match', [r2.seq]],
      ['none', []],
    ]);
  });

  it('a record traced to a call is not also matched to a later call', () => {
    const c1 = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, traceId: TRACE_A });
    const c2 = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, traceId: TRACE_B, concurrent: true });
    const r = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 10,
      completedUs: 20,
      traceparent: traceparent(TRACE_A),
    });
    expect(summary(attribute([c1, c2], [r], 'auto'))).toEqual([
      ['traceparent', [r.seq]],
      ['none', []],
    ]);
  });
});

describe('attribute: modes', () => {
  const traced = () =>
    record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 10,
      completedUs: 20,
      traceparent: traceparent(TRACE_A),
      arguments: { id: 1 },
    });

  it("'none' attributes nothing, even a traced record", () => {
    const c = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, args: { id: 1 } });
    expect(attribute([c], [traced()], 'none')).toEqual([
      { call: c, method: 'none', records: [], downstreamUs: undefined },
    ]);
  });

  it("'traceparent' uses the trace id but never same-arguments or window matching", () => {
    const c = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, args: { id: 1 } });
    const r = traced();
    expect(summary(attribute([c], [r], 'traceparent'))).toEqual([['traceparent', [r.seq]]]);
    const untraced = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, args: { id: 1 }, traceId: TRACE_C });
    const same = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 10,
      completedUs: 20,
      arguments: { id: 1 },
    });
    expect(summary(attribute([untraced], [same], 'traceparent'))).toEqual([['none', []]]);
    expect(summary(attribute([untraced], [same], 'auto'))).toEqual([['match', [same.seq]]]);
  });

  it("'argument' ignores trace context and matches the correlation value only", () => {
    const plain = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, args: { id: 1 } });
    expect(summary(attribute([plain], [traced()], 'argument'))).toEqual([['none', []]]);

    const tagged = call({
      tool: 'tracker.get_issue',
      t0: 0,
      t1: 100,
      correlationId: 'r-1',
      args: { id: 1, [CORRELATION_ARG]: 'r-1' },
    });
    const r = record({
      mock: 'tracker',
      tool: 'get_issue',
      receivedUs: 500,
      completedUs: 600,
      traceparent: traceparent(TRACE_A),
      arguments: { id: 1, [CORRELATION_ARG]: 'r-1' },
    });
    expect(summary(attribute([tagged], [r, traced()], 'argument'))).toEqual([['argument', [r.seq]]]);
  });
});

describe('unionUs', () => {
  const span = (receivedUs: number, completedUs?: number) => record({ mock: 'm', receivedUs, completedUs });

  it('sums disjoint intervals and merges overlapping or contained ones', () => {
    expect(unionUs([span(0, 10), span(20, 30)], 100)).toBe(20);
    expect(unionUs([span(0, 10), span(5, 20), span(30, 40)], 100)).toBe(30);
    expect(unionUs([span(0, 100), span(10, 20), span(50, 60)], 100)).toBe(100);
    // Unsorted input and touching intervals.
    expect(unionUs([span(20, 30), span(0, 10), span(10, 20)], 100)).toBe(30);
    expect(unionUs([], 100)).toBe(0);
  });

  it('a record never completed runs to t1; one received after t1 counts nothing', () => {
    expect(unionUs([span(40)], 100)).toBe(60);
    expect(unionUs([span(0, 50), span(40)], 100)).toBe(100);
    expect(unionUs([span(150)], 100)).toBe(0);
  });

  it('ignores intervals that end before they start', () => {
    expect(unionUs([span(50, 40), span(0, 10)], 100)).toBe(10);
  });
});

describe('propagation', () => {
  const attributed = (c: CallTrace, records: CallRecord[]): Attributed => ({
    call: c,
    method: records.length ? 'match' : 'none',
    records,
    downstreamUs: undefined,
  });
  const c = call({ tool: 'tracker.get_issue', t0: 0, t1: 100, args: { id: 1 }, traceId: TRACE_A });
  const good = record({
    mock: 'tracker',
    tool: 'get_issue',
    receivedUs: 1,
    traceparent: traceparent(TRACE_A),
    arguments: { id: 1 },
  });

  it('is undefined for direct and mesh targets', () => {
    expect(propagation([attributed(c, [good])], 'direct')).toBeUndefined();
    expect(propagation([attributed(c, [good])], 'mesh')).toBeUndefined();
  });

  it('gateway: trace context and arguments passed on unchanged', () => {
    expect(propagation([attributed(c, [good])], 'gateway')).toEqual({
      traceContext: true,
      argumentsUnchanged: true,
    });
  });

  it('gateway: a record without (or with another) trace id, or with changed arguments, says false', () => {
    const noTrace = record({ mock: 'tracker', tool: 'get_issue', receivedUs: 1, arguments: { id: 1 } });
    expect(propagation([attributed(c, [good]), attributed(c, [noTrace])], 'gateway')).toEqual({
      traceContext: false,
      argumentsUnchanged: true,
    });
    const otherTrace = { ...good, traceparent: traceparent(TRACE_B) };
    expect(propagation([attributed(c, [otherTrace])], 'gateway')?.traceContext).toBe(false);
    const rewritten = { ...good, arguments: { id: '1' } };
    expect(propagation([attributed(c, [rewritten])], 'gateway')).toEqual({
      traceContext: true,
      argumentsUnchanged: false,
    });
  });

  it('gateway: arguments are judged only on records of the called tool', () => {
    const fanOut = record({
      mock: 'audit',
      tool: 'log',
      receivedUs: 1,
      traceparent: traceparent(TRACE_A),
      arguments: { other: true },
    });
    expect(propagation([attributed(c, [good, fanOut])], 'gateway')).toEqual({
      traceContext: true,
      argumentsUnchanged: true,
    });
    expect(propagation([attributed(c, [fanOut])], 'gateway')).toEqual({
      traceContext: true,
      argumentsUnchanged: null,
    });
  });

  it('null when nothing was attributed', () => {
    expect(propagation([attributed(c, [])], 'gateway')).toEqual({
      traceContext: null,
      argumentsUnchanged: null,
    });
    expect(propagation([], 'chain')).toEqual({ traceContext: null, argumentsUnchanged: null });
  });

  it('chain: arguments are never judged (its steps rewrite them by design)', () => {
    const rewritten = { ...good, arguments: { id: 'changed' } };
    expect(propagation([attributed(c, [rewritten])], 'chain')).toEqual({
      traceContext: true,
      argumentsUnchanged: null,
    });
    expect(propagation([attributed(c, [{ ...good, traceparent: undefined }])], 'chain')).toEqual({
      traceContext: false,
      argumentsUnchanged: null,
    });
  });
});
