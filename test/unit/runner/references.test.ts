import { describe, expect, it } from 'vitest';
import {
  collectReferences,
  parseReference,
  type Reference,
  type RefScope,
  renderReferences,
  resolveReference,
} from '../../../harness/runner/references.js';

const scope: RefScope = {
  steps: new Map<string, unknown>([
    [
      'fetch',
      {
        text: 'Issue 7: crash',
        structured: { id: 7, tags: ['bug', 'p1'], items: [{ id: 'a' }, { id: 'b', meta: null }] },
        isError: false,
      },
    ],
    ['list', { structured: [10, 20] }],
  ]),
  vars: { repo: 'acme/api', limit: 5, flags: { dry: true }, empty: null },
  iteration: 3,
  run: { id: 'run-42' },
};

function ref(source: string): Reference {
  const r = parseReference(source);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

describe('parseReference', () => {
  it('splits steps references into name and path, with [N] indexes as numbers', () => {
    expect(parseReference('steps.fetch.structured.items[0].id')).toEqual({
      source: 'steps.fetch.structured.items[0].id',
      root: 'steps',
      name: 'fetch',
      path: ['structured', 'items', 0, 'id'],
    });
    expect(parseReference('steps.list.structured[1]')).toEqual({
      source: 'steps.list.structured[1]',
      root: 'steps',
      name: 'list',
      path: ['structured', 1],
    });
    expect(parseReference('steps.a:b-c_d.text')).toMatchObject({ name: 'a:b-c_d', path: ['text'] });
  });

  it('vars, iteration and run', () => {
    expect(parseReference('vars.repo')).toEqual({
      source: 'vars.repo',
      root: 'vars',
      name: 'repo',
      path: [],
    });
    expect(parseReference('vars.m[2][3]')).toEqual({
      source: 'vars.m[2][3]',
      root: 'vars',
      name: 'm',
      path: [2, 3],
    });
    expect(parseReference('iteration')).toEqual({ source: 'iteration', root: 'iteration', path: [] });
    expect(parseReference('run.id')).toEqual({ source: 'run.id', root: 'run', path: ['id'] });
  });

  it.each([
    ['bad ref', "'bad ref' is not a reference path (segments of [A-Za-z0-9_:-] with optional [N])"],
    ['steps..text', "'steps..text' is not a reference path (segments of [A-Za-z0-9_:-] with optional [N])"],
    ['steps.x[a]', "'steps.x[a]' is not a reference path (segments of [A-Za-z0-9_:-] with optional [N])"],
    ['steps', "'steps' needs a name after steps."],
    ['vars[0]', "'vars[0]' needs a name after vars."],
    ['iteration.x', "'iteration.x': iteration has no fields"],
    ['env.HOME', "'env.HOME' must start with steps., vars., run. or be iteration"],
  ])('%j is an error: %s', (source, message) => {
    expect(parseReference(source)).toBe(message);
  });
});

describe('collectReferences', () => {
  it('finds every reference deep in objects and arrays with where it sits', () => {
    const { refs, problems } = collectReferences({
      title: 'Fix {{steps.fetch.text}} in {{vars.repo}}',
      nested: { list: ['plain', '{{ iteration }}', { deep: '{{steps.fetch.structured.tags[1]}}' }] },
      n: 5,
      none: null,
    });
    expect(problems).toEqual([]);
    expect(refs.map((r) => [r.at, r.ref.source])).toEqual([
      ['args.title', 'steps.fetch.text'],
      ['args.title', 'vars.repo'],
      ['args.nested.list[1]', 'iteration'],
      ['args.nested.list[2].deep', 'steps.fetch.structured.tags[1]'],
    ]);
  });

  it('turns unparsable references into problems at their place, keeping the good ones', () => {
    const { refs, problems } = collectReferences(
      { a: '{{env.HOME}} and {{vars.repo}}', b: ['{{steps}}'] },
      'steps[2].args',
    );
    expect(refs.map((r) => [r.at, r.ref.source])).toEqual([['steps[2].args.a', 'vars.repo']]);
    expect(problems).toEqual([
      { at: 'steps[2].args.a', message: "'env.HOME' must start with steps., vars., run. or be iteration" },
      { at: 'steps[2].args.b[0]', message: "'steps' needs a name after steps." },
    ]);
  });

  it('ignores text without complete {{...}}', () => {
    expect(collectReferences({ a: '{{ not closed', b: 'x }}', c: '{}' })).toEqual({ refs: [], problems: [] });
  });
});

describe('renderReferences', () => {
  it('a whole-string reference keeps the type of its value', () => {
    expect(
      renderReferences(
        {
          id: '{{steps.fetch.structured.id}}',
          tags: '{{steps.fetch.structured.tags}}',
          flags: '{{ vars.flags }}',
          i: '{{iteration}}',
          empty: '{{vars.empty}}',
          run: '{{run}}',
        },
        scope,
      ),
    ).toEqual({ id: 7, tags: ['bug', 'p1'], flags: { dry: true }, i: 3, empty: null, run: { id: 'run-42' } });
  });

  it('interpolates references in longer strings as text, objects as JSON', () => {
    expect(
      renderReferences(
        {
          title: 'Fix {{steps.fetch.text}} in {{vars.repo}} (#{{iteration}})',
          json: 'tags={{steps.fetch.structured.tags}} flags={{vars.flags}} n={{vars.empty}}',
          two: '{{vars.limit}}{{vars.limit}}',
          id: 'run {{run.id}}',
        },
        scope,
      ),
    ).toEqual({
      title: 'Fix Issue 7: crash in acme/api (#3)',
      json: 'tags=["bug","p1"] flags={"dry":true} n=null',
      two: '55',
      id: 'run run-42',
    });
  });

  it('renders inside nested arrays and objects and leaves other values alone', () => {
    const input = {
      a: [1, true, null, ['{{vars.limit}}', { b: 'x-{{steps.fetch.structured.items[1].id}}' }]],
      c: { d: { e: '{{steps.list.structured[0]}}' } },
      plain: 'no refs here',
    };
    expect(renderReferences(input, scope)).toEqual({
      a: [1, true, null, [5, { b: 'x-b' }]],
      c: { d: { e: 10 } },
      plain: 'no refs here',
    });
    // The input is not modified.
    expect(input.c.d.e).toBe('{{steps.list.structured[0]}}');
  });

  it('throws the readable resolution error', () => {
    expect(() => renderReferences({ a: 'x {{vars.nope}}' }, scope)).toThrow("no variable 'nope'");
    expect(() => renderReferences({ a: '{{bad ref}}' }, scope)).toThrow("'bad ref' is not a reference path");
  });
});

describe('resolveReference', () => {
  it('resolves steps, vars, iteration and run values', () => {
    expect(resolveReference(ref('steps.fetch.structured.items[1].id'), scope)).toBe('b');
    expect(resolveReference(ref('steps.fetch.structured.items[1].meta'), scope)).toBeNull();
    expect(resolveReference(ref('steps.fetch'), scope)).toBe(scope.steps.get('fetch'));
    expect(resolveReference(ref('vars.limit'), scope)).toBe(5);
    expect(resolveReference(ref('iteration'), { ...scope, iteration: 0 })).toBe(0);
    expect(resolveReference(ref('run.id'), scope)).toBe('run-42');
  });

  it.each([
    ['steps.ghost.text', scope, "step 'ghost' has no result yet"],
    ['vars.nope', scope, "no variable 'nope'"],
    ['iteration', { ...scope, iteration: undefined }, '{{iteration}} is only defined inside repeat'],
    [
      'steps.fetch.structured.missing',
      scope,
      "{{steps.fetch.structured.missing}}: steps.fetch.structured has no 'missing'",
    ],
    [
      'steps.fetch.structured.tags[5]',
      scope,
      '{{steps.fetch.structured.tags[5]}}: steps.fetch.structured.tags has no [5]',
    ],
    ['steps.fetch.text.length', scope, "{{steps.fetch.text.length}}: steps.fetch.text has no 'length'"],
    [
      'steps.fetch.structured.items[1].meta.x',
      scope,
      "{{steps.fetch.structured.items[1].meta.x}}: steps.fetch.structured.items.1.meta has no 'x'",
    ],
    ['run.host', scope, "{{run.host}}: run has no 'host'"],
  ])('%s throws %j', (source, s, message) => {
    expect(() => resolveReference(ref(source), s as RefScope)).toThrow(message);
  });

  it('does not read inherited properties', () => {
    expect(() => resolveReference(ref('vars.toString'), scope)).toThrow("no variable 'toString'");
    expect(() => resolveReference(ref('steps.fetch.constructor'), scope)).toThrow(
      "steps.fetch has no 'constructor'",
    );
  });
});
