import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import {
  placeholdersIn,
  renderDeep,
  renderTemplate,
  resolveEnvRefs,
} from '../../../harness/target/placeholders.js';

/** `${NAME}` without tripping the template-literal lint. */
const ref = (name: string) => '$' + '{' + name + '}';

function thrown(fn: () => unknown): HarnessError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    return e as HarnessError;
  }
  throw new Error('expected a throw');
}

describe('placeholders', () => {
  it('renders known placeholders, numbers included', () => {
    expect(
      renderTemplate('http://127.0.0.1:{port}/mcp?f={mcpServersFile}', {
        port: 4312,
        mcpServersFile: '/w/s.json',
      }),
    ).toBe('http://127.0.0.1:4312/mcp?f=/w/s.json');
  });

  it('leaves JSON braces, regex quantifiers and environment references alone', () => {
    const json =
      '{"mcpServers": {"a": {"url": "http://x:{port}"}}, "n": "\\\\d{2}", "t": "' + ref('TOKEN') + '"}';
    expect(placeholdersIn(json)).toEqual(['port']);
    expect(renderTemplate(json, { port: 1 })).toBe(json.replace('{port}', '1'));
  });

  it('names an unknown placeholder and the known ones', () => {
    const err = thrown(() =>
      renderTemplate('--config {confFile}', { port: 1, workDir: '/w' }, 'launch.args[1]'),
    );
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.problems).toEqual([
      { path: 'launch.args[1]', message: 'unknown placeholder {confFile} (known: {port}, {workDir})' },
    ]);
  });

  it('renders nested data and lists every unknown placeholder with its path at once', () => {
    const data = {
      launch: { args: ['--port', '{port}', '{nope}'], env: { A: '{alsoNope}', B: '{workDir}/x' } },
      n: 3,
    };
    const err = thrown(() => renderDeep(data, { port: 9, workDir: '/w' }));
    expect(err.problems.map((p) => p.path)).toEqual(['launch.args[2]', 'launch.env.A']);
    expect(renderDeep({ a: ['{port}'], b: { c: '{workDir}/x' }, n: 3 }, { port: 9, workDir: '/w' })).toEqual({
      a: ['9'],
      b: { c: '/w/x' },
      n: 3,
    });
  });

  it('resolves environment references in header values; a missing variable is a problem with its path', () => {
    const env = { GW_TOKEN: 's3cret' };
    expect(
      resolveEnvRefs({ Authorization: `Bearer ${ref('GW_TOKEN')}`, X: 'plain' }, 'endpoint.headers', env),
    ).toEqual({
      Authorization: 'Bearer s3cret',
      X: 'plain',
    });
    const err = thrown(() =>
      resolveEnvRefs({ Authorization: `Bearer ${ref('NOPE_A')}`, Y: ref('NOPE_B') }, 'endpoint.headers', env),
    );
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.problems).toEqual([
      { path: 'endpoint.headers.Authorization', message: 'environment variable NOPE_A is not set' },
      { path: 'endpoint.headers.Y', message: 'environment variable NOPE_B is not set' },
    ]);
  });
});
