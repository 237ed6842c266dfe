import type { Tool } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import {
  buildToolMap,
  mergeToolMaps,
  ORIGIN_TAG_RE,
  originTag,
  parsePrefixed,
  prefixedName,
} from '../../../harness/target/naming.js';

const tool = (name: string, description?: string): Tool => ({
  name,
  description,
  inputSchema: { type: 'object' },
});
const tagged = (name: string, server: string, orig: string) =>
  tool(name, `Does things. ${originTag(server, orig)}`);

describe('origin tags', () => {
  it('formats and parses [origin:SERVER/TOOL]', () => {
    expect(originTag('weather', 'get.forecast')).toBe('[origin:weather/get.forecast]');
    const m = ORIGIN_TAG_RE.exec(`x ${originTag('a-b_1', 'get.forecast-2')} y`);
    expect(m?.slice(1)).toEqual(['a-b_1', 'get.forecast-2']);
  });
});

describe('prefix naming', () => {
  const naming = { mode: 'prefix', separator: '__', prefix: '{server}' } as const;

  it.each([
    ['weather__forecast', ['weather.forecast']],
    ['weather__get.forecast', ['weather.get.forecast']],
    ['my-srv__a__b', ['my-srv.a__b', 'my-srv__a.b']],
    ['forecast', []],
    ['__forecast', []],
  ])('parses %s', (exposed, logical) => {
    expect(parsePrefixed(exposed, naming.prefix, naming.separator)).toEqual(logical);
  });

  it('handles a prefix template and another separator', () => {
    expect(prefixedName('weather', 'forecast', 'mcp_{server}', '.')).toBe('mcp_weather.forecast');
    expect(parsePrefixed('mcp_weather.forecast', 'mcp_{server}', '.')).toEqual(['weather.forecast']);
    expect(parsePrefixed('other_weather.forecast', 'mcp_{server}', '.')).toEqual([]);
  });

  it('maps both ways and reports missing and unmapped tools', () => {
    const map = buildToolMap([tool('weather__forecast'), tool('math__add'), tool('healthz')], naming, [
      'weather.forecast',
      'math.add',
      'math.sub',
    ]);
    expect(map.resolve('weather.forecast')).toBe('weather__forecast');
    expect(map.route('math.add')).toEqual({ client: 'sut', name: 'math__add' });
    expect(map.logical('math__add')).toBe('math.add');
    expect(map.resolve('math.sub')).toBeUndefined();
    expect(map.logical('healthz')).toBeUndefined();
    expect(map.problems).toEqual([
      {
        exposed: 'healthz',
        client: 'sut',
        problem: 'unmapped',
        detail: expect.stringMatching(/does not match/),
      },
      { logical: 'math.sub', problem: 'missing', detail: "no exposed tool maps to 'math.sub'" },
    ]);
  });

  it('maps a name the rule does not explain through its origin tag (a gateway that did not prefix)', () => {
    const map = buildToolMap(
      [tagged('forecast', 'weather', 'forecast'), tagged('math/add', 'math', 'add'), tool('healthz')],
      naming,
      ['weather.forecast', 'math.add'],
    );
    expect(map.resolve('weather.forecast')).toBe('forecast');
    expect(map.resolve('math.add')).toBe('math/add');
    expect(map.problems).toEqual([expect.objectContaining({ exposed: 'healthz', problem: 'unmapped' })]);
  });

  it('disambiguates a separator inside names with the expected tools, else reports ambiguous', () => {
    const tools = [tool('my__srv__run')];
    const known = buildToolMap(tools, naming, ['my__srv.run']);
    expect(known.resolve('my__srv.run')).toBe('my__srv__run');
    expect(known.problems).toEqual([]);
    const unknown = buildToolMap(tools, naming);
    expect(unknown.resolve('my.srv__run')).toBeUndefined();
    expect(unknown.problems).toEqual([
      expect.objectContaining({ exposed: 'my__srv__run', problem: 'ambiguous' }),
    ]);
  });
});

describe('origin naming', () => {
  const naming = { mode: 'origin' } as const;

  it('maps tools a gateway renamed through their origin tags', () => {
    const map = buildToolMap(
      [
        tagged('wx-forecast-v2', 'weather', 'forecast'),
        tagged('calc_add', 'math', 'add'),
        tool('gateway_status', 'no tag'),
      ],
      naming,
      ['weather.forecast', 'math.add'],
    );
    expect(map.resolve('weather.forecast')).toBe('wx-forecast-v2');
    expect(map.resolve('math.add')).toBe('calc_add');
    expect(map.logical('wx-forecast-v2')).toBe('weather.forecast');
    expect(map.problems).toEqual([
      expect.objectContaining({ exposed: 'gateway_status', problem: 'unmapped' }),
    ]);
  });

  it('reports two exposed tools claiming one origin as duplicates and resolves neither', () => {
    const map = buildToolMap(
      [tagged('forecast', 'weather', 'forecast'), tagged('forecast_2', 'weather', 'forecast')],
      naming,
      ['weather.forecast'],
    );
    expect(map.resolve('weather.forecast')).toBeUndefined();
    expect(map.problems.map((p) => [p.problem, p.exposed])).toEqual([
      ['duplicate', 'forecast'],
      ['duplicate', 'forecast_2'],
    ]);
    expect(map.problems.some((p) => p.problem === 'missing')).toBe(false);
  });

  it('reports a description with two different origins as ambiguous, and a lost tool as missing', () => {
    const merged = tool('search', `${originTag('a', 'search')} ${originTag('b', 'search')}`);
    const map = buildToolMap([merged], naming, ['a.search', 'c.lost']);
    expect(map.problems).toEqual([
      expect.objectContaining({
        exposed: 'search',
        problem: 'ambiguous',
        detail: expect.stringMatching(/'a.search' or 'b.search'/),
      }),
      expect.objectContaining({ logical: 'a.search', problem: 'missing' }),
      expect.objectContaining({ logical: 'c.lost', problem: 'missing' }),
    ]);
  });
});

describe('identity naming', () => {
  const naming = { mode: 'identity' } as const;

  it('uses the known server (mesh member, direct target)', () => {
    const map = buildToolMap([tool('forecast')], naming, ['weather.forecast'], { server: 'weather' });
    expect(map.resolve('weather.forecast')).toBe('forecast');
    expect(map.resolve('forecast')).toBe('forecast');
    expect(map.resolve('other.forecast')).toBeUndefined();
    expect(map.problems).toEqual([]);
  });

  it('takes the server from an origin tag when the names are unchanged, else maps the bare name', () => {
    const map = buildToolMap([tagged('forecast', 'weather', 'forecast'), tool('ping')], naming, [
      'weather.forecast',
      'x.ping',
    ]);
    expect(map.logical('forecast')).toBe('weather.forecast');
    expect(map.logical('ping')).toBe('ping');
    expect(map.resolve('x.ping')).toBe('ping');
    expect(map.problems).toEqual([]);
  });

  it('merges a mesh: same tool name on two servers stays distinct; a bare name is ambiguous', () => {
    const a = buildToolMap([tool('search'), tool('only_a')], naming, [], { server: 'a', client: 'a' });
    const b = buildToolMap([tool('search')], naming, [], { server: 'b', client: 'b' });
    const mesh = mergeToolMaps([a, b], ['a.search', 'b.search', 'c.search']);
    expect(mesh.route('a.search')).toEqual({ client: 'a', name: 'search' });
    expect(mesh.route('b.search')).toEqual({ client: 'b', name: 'search' });
    expect(mesh.route('only_a')).toEqual({ client: 'a', name: 'only_a' });
    expect(mesh.route('search')).toBeUndefined();
    expect(mesh.logical('search', 'b')).toBe('b.search');
    expect(mesh.logical('search')).toBeUndefined();
    expect(mesh.problems).toEqual([expect.objectContaining({ logical: 'c.search', problem: 'missing' })]);
  });
});
