import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../harness/compare/catalogue.js';
import { mapComposites } from '../../../harness/compare/composites.js';
import { parseFaultFlag } from '../../../harness/compare/fault-flag.js';
import type { Problem } from '../../../harness/errors.js';
import type { PlannedCall } from '../../../harness/runner/plan-types.js';
import { FleetSpecSchema } from '../../../harness/schema/fleet.js';

const call = (name: string, tool: string, timeoutMs = 1000): PlannedCall => ({
  kind: 'call',
  name,
  path: `steps.${name}`,
  tool,
  args: {},
  expect: {},
  timeoutMs,
});
const calls = [call('a', 's1.x'), call('b', 's2.y', 2000), call('c', 's3.z', 3000)];
const composite = (steps: string[], tool = 'combo') => ({ tool, steps, args: { q: 1 } });

describe('mapComposites', () => {
  it('one composite call per group, with the group’s deadlines added up', () => {
    const problems: Problem[] = [];
    const out = mapComposites(calls, [composite(['a', 'b']), composite(['c'], 'last')], 'chain', problems);
    expect(problems).toEqual([]);
    expect(out?.map((o) => [o.call.name, o.call.tool, o.call.timeoutMs, o.unit.steps])).toEqual([
      ['combo', 'combo', 3000, ['a', 'b']],
      ['last', 'last', 3000, ['c']],
    ]);
    expect(out?.[0]?.call.args).toEqual({ q: 1 });
  });

  it('every problem at once: unknown step, a step in two groups, a gap, an unmapped step', () => {
    const problems: Problem[] = [];
    const out = mapComposites(
      [...calls, call('d', 's4.w')],
      [composite(['a', 'c']), composite(['c', 'nope'], 'other')],
      'targets[2]',
      problems,
    );
    expect(out).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual([
      'composites[0].steps',
      'composites[1].steps[0]',
      'composites[1].steps[1]',
      'targets[2]',
      'targets[2]',
    ]);
    expect(problems.filter((p) => p.path === 'targets[2]').map((p) => p.message)).toEqual([
      expect.stringContaining("step 'b' (s2.y) cannot be mapped"),
      expect.stringContaining("step 'd' (s4.w) cannot be mapped"),
    ]);
  });
});

describe('parseFaultFlag', () => {
  const fleet = FleetSpecSchema.parse({
    servers: [{ name: 'repo', transport: 'http', tools: [{ name: 't' }] }],
  });
  it('server:type[:key=value,…] with numbers as numbers, checked by the fault registry', () => {
    expect(parseFaultFlag('repo:latency:ms=250', fleet)).toEqual({
      flag: 'repo:latency:ms=250',
      server: 'repo',
      fault: { type: 'latency', ms: 250 },
    });
    expect(parseFaultFlag('repo:hang', fleet)).toMatchObject({ server: 'repo', fault: { type: 'hang' } });
    expect(parseFaultFlag('nobody:hang', fleet)).toEqual({
      problem: "unknown server 'nobody' in 'nobody:hang' (the fleet has: repo)",
    });
    expect(parseFaultFlag('repo:explode', fleet)).toHaveProperty('problem');
    expect(parseFaultFlag('repo:latency:ms', fleet)).toEqual({
      problem: "'ms' in 'repo:latency:ms': expected key=value",
    });
  });
});

describe('countTokens', () => {
  it('counts o200k_base tokens', () => {
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
    expect(countTokens(JSON.stringify({ name: 'get_issue' }))).toBeGreaterThan(3);
  });
});
