import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isHarnessError } from '../../../harness/errors.js';
import { askAnswers } from '../../../harness/init/ask.js';
import { inferNaming } from '../../../harness/init/detect-naming.js';
import { CHECK_FLAGS, targetInputOf, targetOfAnswers } from '../../../harness/init/gateway-answers.js';
import { splitCommand } from '../../../harness/init/split-command.js';
import { renderTargetYaml } from '../../../harness/init/target-yaml.js';
import { originTag } from '../../../harness/schema/origin.js';
import { TargetSpecSchema } from '../../../harness/schema/target.js';

/** The pieces of `init` and the quick flags that are pure: command splitting, answers → target, naming inference, the YAML. */

const tool = (name: string, server: string, t: string) => ({
  name,
  description: `does things ${originTag(server, t)}`,
  inputSchema: { type: 'object' as const },
});

describe('splitCommand', () => {
  it('splits like a shell: quotes, escapes, placeholders kept', () => {
    expect(
      splitCommand(`node "my gw.js" --config {mcpServersFile} --name 'a b' x\\ y "q\\"q"`).words,
    ).toEqual(['node', 'my gw.js', '--config', '{mcpServersFile}', '--name', 'a b', 'x y', 'q"q']);
    expect(splitCommand(`a "" b`).words).toEqual(['a', '', 'b']);
    expect(splitCommand(`gw 'open`).problem).toBe('the single quote is not closed');
  });
});

describe('gateway answers → target', () => {
  it('a command over HTTP becomes a launch recipe with a {port} URL and the given readiness and naming', () => {
    const t = targetOfAnswers(
      'check',
      { cmd: 'gw --config {mcpServersFile} --port {port}', naming: 'prefix:.', ready: 'log:listening' },
      CHECK_FLAGS,
    );
    expect(t.endpoint).toEqual({ transport: 'http', url: 'http://127.0.0.1:{port}/mcp', headers: {} });
    expect(t.launch).toMatchObject({
      command: 'gw',
      args: ['--config', '{mcpServersFile}', '--port', '{port}'],
      ready: { log: 'listening' },
    });
    expect(t.naming).toEqual({ mode: 'prefix', prefix: '{server}', separator: '.' });
  });

  it('a stdio command is the endpoint itself; a URL alone is a running gateway with origin naming', () => {
    const s = targetOfAnswers('check', { cmd: 'gw {mcpServersFile}', transport: 'stdio' }, CHECK_FLAGS);
    expect(s.endpoint).toMatchObject({ transport: 'stdio', command: 'gw', args: ['{mcpServersFile}'] });
    expect(s.launch).toBeUndefined();
    const u = targetOfAnswers('check', { url: 'http://gw:8080/mcp' }, CHECK_FLAGS);
    expect(u).toMatchObject({
      pattern: 'gateway',
      endpoint: { url: 'http://gw:8080/mcp' },
      naming: { mode: 'origin' },
    });
  });

  it('lists every problem by flag at once', () => {
    const { problems } = targetInputOf({ cmd: 'gw', transport: 'x', naming: 'y', ready: 'z' }, CHECK_FLAGS);
    expect(problems.map((p) => p.path).sort()).toEqual([
      '--gateway-cmd',
      '--gateway-cmd',
      '--naming',
      '--ready',
      '--transport',
    ]);
    try {
      targetOfAnswers('check', { url: 'ftp://x', ready: 'handshake' }, CHECK_FLAGS);
      expect.unreachable();
    } catch (e) {
      expect(isHarnessError(e) && e.code).toBe('INVALID_ARGS');
      expect((e as { problems: Array<{ path: string }> }).problems.map((p) => p.path)).toEqual([
        '--ready',
        '--url',
      ]);
    }
  });
});

describe('inferNaming', () => {
  it('prefix with its template and separator, identity, else origin', () => {
    expect(
      inferNaming([tool('alpha__echo', 'alpha', 'echo'), tool('beta__echo', 'beta', 'echo')]).naming,
    ).toEqual({
      mode: 'prefix',
      prefix: '{server}',
      separator: '__',
    });
    expect(
      inferNaming([tool('mcp_alpha.echo', 'alpha', 'echo'), tool('mcp_beta.lookup', 'beta', 'lookup')])
        .naming,
    ).toEqual({
      mode: 'prefix',
      prefix: 'mcp_{server}',
      separator: '.',
    });
    expect(inferNaming([tool('echo', 'alpha', 'echo'), tool('lookup', 'beta', 'lookup')]).naming).toEqual({
      mode: 'identity',
    });
    expect(
      inferNaming([tool('alpha__echo', 'alpha', 'echo'), tool('b-lookup', 'beta', 'lookup')]).naming,
    ).toEqual({ mode: 'origin' });
    const none = inferNaming([{ name: 'x', inputSchema: { type: 'object' } }]);
    expect(none.naming).toEqual({ mode: 'origin' });
    expect(none.evidence).toContain('none of the 1 listed tools');
  });
});

describe('renderTargetYaml', () => {
  it('writes comments and values that read back as the same target', () => {
    const spec = targetOfAnswers(
      'init',
      {
        name: 'my "gw"',
        cmd: `gw --config {mcpServersFile} --port {port} --title 'a: b #c'`,
        naming: 'prefix',
        ready: 'log:up #1',
      },
      CHECK_FLAGS,
    );
    const text = renderTargetYaml(spec, { naming: 'alpha.echo is exposed as alpha__echo' });
    expect(text).toContain('# Detected: alpha.echo is exposed as alpha__echo');
    expect(TargetSpecSchema.parse(parse(text))).toEqual(spec);
  });
});

describe('askAnswers', () => {
  it('asks only what the flags left open; Enter takes the default', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let asked = '';
    output.on('data', (c) => {
      asked += c;
    });
    input.end(
      ['', 'gw --config {mcpServersFile} --port {port}', 'sse', '', 'prefix', 'log:ready', ''].join('\n'),
    );
    const a = await askAnswers({ naming: undefined }, { input, output });
    expect(a).toEqual({
      name: 'my-gateway',
      cmd: 'gw --config {mcpServersFile} --port {port}',
      transport: 'sse',
      url: undefined,
      naming: 'prefix',
      ready: 'log:ready',
      out: 'gateway.target.yaml',
    });
    expect(asked).toContain('Command or URL');
    const given = await askAnswers(
      { name: 'n', url: 'http://x/mcp', transport: 'http', naming: 'identity', out: 'o.yaml' },
      { input: new PassThrough().end(), output },
    );
    expect(given).toEqual({
      name: 'n',
      url: 'http://x/mcp',
      transport: 'http',
      naming: 'identity',
      out: 'o.yaml',
    });
  });
});
