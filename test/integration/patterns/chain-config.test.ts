import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { loadChain, startChain } from '../../../mocks/patterns/chain/index.js';
import { endpointsOf, loadMcpServers } from '../../../mocks/patterns/chain/mcp-servers.js';
import { renderArguments } from '../../../mocks/patterns/chain/template.js';

/** The chain definition and mcpServers inputs: every problem listed with its path, or the right values. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chain-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsOf(p: Promise<unknown>): Promise<Array<{ path: string; message: string }>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HarnessError);
  expect((err as HarnessError).code).toBe('INVALID_CONFIG');
  return (err as HarnessError).problems;
}

const BAD_CHAIN = `
stepTimeoutMs: -5
tools:
  - name: "bad name!"
    pipeline:
      - server: tracker
        tool: get_issue
        arguments: { id: "{{steps.later.text}}" }
      - id: later
        server: tracker
        tool: echo
        arguments: { q: "{{env.HOME}}", deep: [{ x: "{{steps.step1.structured.a.b}}" }] }
  - name: both
    pipeline: [{ server: a, tool: b }]
    fanout: [{ server: a, tool: b }]
  - name: fan
    fanout:
      - { server: a, tool: b, arguments: { x: "{{steps.a.text}}" } }
    output: "{{input.x}}"
  - name: dup
    pipeline:
      - { id: s, server: a, tool: b }
      - { id: s, server: a, tool: c, extra: 1 }
  - name: dup
    fanout: [{ server: a, tool: b }]
`;

describe('chain definition', () => {
  it('lists every problem of a chain file with its path', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, BAD_CHAIN);
    const problems = await problemsOf(loadChain(file));
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'stepTimeoutMs',
        'tools[0].name',
        'tools[0].pipeline[0].arguments.id',
        'tools[0].pipeline[1].arguments.q',
        'tools[1].fanout',
        'tools[2].fanout[0].arguments.x',
        'tools[2].output',
        'tools[3].pipeline[1].id',
        'tools[3].pipeline[1]',
        'tools[4].name',
      ]),
    );
    const at = (path: string) => problems.find((p) => p.path === path)?.message;
    expect(at('tools[0].pipeline[0].arguments.id')).toMatch(/no earlier step 'later'/);
    expect(at('tools[0].pipeline[1].arguments.q')).toMatch(/unknown root 'env'/);
    expect(at('tools[1].fanout')).toMatch(/exactly one of pipeline or fanout/);
    expect(at('tools[2].fanout[0].arguments.x')).toMatch(/may only use input/);
    expect(at('tools[2].output')).toMatch(/only for pipeline/);
    expect(at('tools[3].pipeline[1].id')).toMatch(/duplicate step id 's'/);
    expect(at('tools[4].name')).toMatch(/duplicate tool name 'dup'/);
    // A reference to an earlier step deep inside an array is fine.
    expect(paths).not.toContain('tools[0].pipeline[1].arguments.deep[0].x');
  });

  it('fills defaults: step ids, timeout, input schema', async () => {
    const chain = await loadChain({
      tools: [
        {
          name: 't',
          pipeline: [
            { server: 'a', tool: 'b' },
            { server: 'a', tool: 'c' },
          ],
        },
      ],
    });
    expect(chain.stepTimeoutMs).toBe(10_000);
    expect(chain.tools[0]).toMatchObject({
      kind: 'pipeline',
      inputSchema: { type: 'object' },
      description: '',
      steps: [{ id: 'step1', arguments: {} }, { id: 'step2' }],
    });
  });

  it('rejects steps naming a server the mcpServers file does not have', async () => {
    const problems = await problemsOf(
      startChain({
        mcpServers: { mcpServers: { tracker: { type: 'http', url: 'http://127.0.0.1:1/mcp' } } },
        chain: {
          tools: [
            {
              name: 't',
              fanout: [
                { server: 'tracker', tool: 'a' },
                { server: 'ghost', tool: 'b' },
              ],
            },
          ],
        },
      }),
    );
    expect(problems).toEqual([
      {
        path: 'tools[0].fanout[1].server',
        message: "unknown server 'ghost' (the mcpServers file has: tracker)",
      },
    ]);
  });
});

describe('mcpServers file', () => {
  it('reads stdio, Streamable HTTP and SSE entries, ignoring host-specific keys', async () => {
    const file = join(dir, 'mcpServers.json');
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: {
          a: { command: 'node', args: ['a.js'], env: { X: '1' }, disabled: false },
          b: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
          c: { type: 'sse', url: 'http://127.0.0.1:9/sse', headers: { authorization: 'Bearer t' } },
          d: { url: 'https://example.com/mcp' },
        },
      }),
    );
    const eps = endpointsOf(await loadMcpServers(file));
    expect(Object.fromEntries(eps)).toEqual({
      a: { transport: 'stdio', command: 'node', args: ['a.js'], env: { X: '1' } },
      b: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} },
      c: { transport: 'sse', url: 'http://127.0.0.1:9/sse', headers: { authorization: 'Bearer t' } },
      d: { transport: 'http', url: 'https://example.com/mcp', headers: {} },
    });
  });

  it('lists every bad entry with its path', async () => {
    const problems = await problemsOf(
      loadMcpServers({
        mcpServers: { a: { type: 'http' }, b: { command: 'x', args: 'no' }, c: { url: 'ftp://x' } },
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'mcpServers.a.url',
      'mcpServers.b.args',
      'mcpServers.c.url',
    ]);
  });
});

describe('templates', () => {
  const scope = {
    input: { id: 7, name: 'x', tags: ['a'], nested: { k: true } },
    steps: new Map([['s1', { text: 'hello', structured: { list: [{ v: 1 }], title: 'T' } }]]),
  };

  it('keeps the type of whole-value references and interpolates inside strings', () => {
    expect(
      renderArguments(
        {
          id: '{{input.id}}',
          label: 'issue #{{ input.id }} by {{input.name}}',
          tags: '{{input.tags}}',
          k: '{{input.nested.k}}',
          text: '{{steps.s1.text}}',
          title: '{{steps.s1.structured.title}}',
          all: '{{steps.s1.structured}}',
          embedded: 'got {{input.nested}}',
          literal: 5,
          list: ['{{input.id}}', '{{input.missing}}', 'x'],
        },
        scope,
      ),
    ).toEqual({
      id: 7,
      label: 'issue #7 by x',
      tags: ['a'],
      k: true,
      text: 'hello',
      title: 'T',
      all: { list: [{ v: 1 }], title: 'T' },
      embedded: 'got {"k":true}',
      literal: 5,
      list: [7, 'x'],
    });
  });

  it('drops keys whose whole-value reference is missing and renders missing parts as empty', () => {
    expect(
      renderArguments({ a: '{{input.nope}}', b: '[{{input.nope}}]', c: '{{steps.s9.text}}' }, scope),
    ).toEqual({
      b: '[]',
    });
  });
});
