import { describe, expect, it } from 'vitest';
import { predictedNames, shapeOf } from '../../../harness/checks/predicted-names.js';

describe('names an unlisted tool may be reachable by', () => {
  it('reads the shape of a mapped name', () => {
    expect(shapeOf({ logical: 'alpha.echo', exposed: 'alpha__echo' })).toBe('{server}__{tool}');
    expect(shapeOf({ logical: 'alpha.echo', exposed: 'echo' })).toBe('{tool}');
    expect(shapeOf({ logical: 'alpha.echo', exposed: 'mcp_alpha-echo' })).toBe('mcp_{server}-{tool}');
    expect(shapeOf({ logical: 'alpha.echo', exposed: 'tool_7' })).toBeUndefined();
    expect(shapeOf({ logical: 'echo', exposed: 'echo' })).toBeUndefined();
  });

  it('the naming rule first, then the shapes the SUT lists, most common first, at most three', () => {
    const mapped = [
      { logical: 'beta.lookup', exposed: 'beta.lookup' },
      { logical: 'alpha.add', exposed: 'alpha::add' },
      { logical: 'alpha.fail', exposed: 'alpha::fail' },
      { logical: 'gamma.status', exposed: 'status' },
    ];
    expect(
      predictedNames({ mode: 'prefix', prefix: '{server}', separator: '__' }, mapped, 'alpha', 'sample'),
    ).toEqual(['alpha__sample', 'alpha::sample', 'alpha.sample']);
    expect(predictedNames({ mode: 'origin' }, mapped.slice(3), 'alpha', 'sample')).toEqual(['sample']);
    expect(predictedNames({ mode: 'origin' }, [], 'alpha', 'sample')).toEqual([]);
  });
});
