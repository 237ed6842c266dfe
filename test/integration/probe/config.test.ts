import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { loadProbeConfig } from '../../../probes/index.js';
import { config, tempDir } from './fixtures.js';

async function problemsOf(data: unknown, dir?: string): Promise<string[]> {
  try {
    await config(data, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).exitCode).toBe(2);
    return (e as HarnessError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('the config was accepted');
}

describe('probe config', () => {
  it('lists every problem at once, each with its path', async () => {
    const problems = await problemsOf({
      defaults: { interval: '1x' },
      allow: ['ftp://example.com/'],
      modules: {
        c: { kind: 'call' },
        s: { kind: 'nope' },
        p: { kind: 'call', tool: 'x', expect: { servedBy: 'alpha' } },
      },
      targets: [
        {
          name: 'a',
          endpoint: { transport: 'http', url: 'not a url' },
          modules: ['missing'],
          labels: { target: 'x', 'bad-name': 'y' },
        },
        {
          name: 'a',
          endpoint: { transport: 'stdio', command: 'x' },
          target: 'gw.yaml',
          timeout: '20s',
          interval: '10s',
        },
        { name: 'b' },
      ],
    });
    const expected = [
      /^defaults\.interval: expected a duration/,
      /^allow\[0\]: expected an http:\/\/ or https:\/\/ URL prefix/,
      /^modules\.c\.tool: expected string/,
      /^modules\.s\.kind: expected kind to be one of/,
      /^modules\.p\.expect: servedBy needs a mock fleet/,
      /^targets\[0\]\.endpoint\.url: expected an http/,
      /^targets\[0\]\.labels\.target: label names/,
      /^targets\[0\]\.labels\.bad-name: expected a Prometheus label name/,
      /^targets\[0\]\.modules\[0\]: unknown module 'missing'/,
      /^targets\[1\]\.name: duplicate target name 'a'/,
      /^targets\[1\]: give exactly one of endpoint/,
      /^targets\[1\]\.timeout: expected a timeout no longer than the interval/,
      /^targets\[2\]: give exactly one of endpoint/,
    ];
    for (const re of expected)
      expect(
        problems.some((p) => re.test(p)),
        `${re} in\n${problems.join('\n')}`,
      ).toBe(true);
  });

  it('checks environment variables, target files and scenario files', async () => {
    const tmp = await tempDir();
    try {
      await tmp.write('mesh.yaml', {
        pattern: 'mesh',
        servers: { a: { transport: 'http', url: 'http://127.0.0.1:1/mcp' } },
      });
      await tmp.write('launched.yaml', {
        pattern: 'gateway',
        endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
        launch: { command: 'gw' },
      });
      await tmp.write('writes.yaml', {
        fleet: { servers: [] },
        steps: [
          { call: 'echo' },
          { fault: { server: 'a', add: { type: 'hang' } } },
          { parallel: [{ kill: 'a' }] },
        ],
      });
      const problems = await problemsOf(
        {
          modules: {
            w: { kind: 'scenario', scenario: 'writes.yaml' },
            gone: { kind: 'scenario', scenario: 'none.yaml' },
          },
          targets: [
            {
              name: 'h',
              endpoint: {
                transport: 'http',
                url: 'https://x.example/mcp',
                headers: { Authorization: `Bearer ${'$'}{PROBE_TEST_UNSET_TOKEN}` },
              },
            },
            { name: 'm', target: 'mesh.yaml' },
            { name: 'l', target: 'launched.yaml' },
            { name: 'f', target: 'nowhere.yaml' },
          ],
        },
        tmp.dir,
      );
      const expected = [
        /^targets\[0\]\.endpoint\.headers\.Authorization: environment variable PROBE_TEST_UNSET_TOKEN is not set/,
        /^targets\[1\]\.target: expected a target with one endpoint \(not a mesh\)/,
        /^targets\[2\]\.target: a probed target runs already: remove launch/,
        /^targets\[3\]\.target: cannot read/,
        /^modules\.w\.scenario: fleet: a probe scenario has no fleet/,
        /^modules\.w\.steps\[1\]: a probe scenario is read-only: no fault steps/,
        /^modules\.w\.steps\[2\]\.parallel\[0\]: a probe scenario is read-only: no kill steps/,
        /^modules\.gone\.scenario/,
      ];
      for (const re of expected)
        expect(
          problems.some((p) => re.test(p)),
          `${re} in\n${problems.join('\n')}`,
        ).toBe(true);
    } finally {
      await tmp.remove();
    }
  });

  it('loads a valid file: defaults, built-in modules, a target file, headers from the environment', async () => {
    const tmp = await tempDir();
    try {
      await tmp.write('gw.yaml', {
        pattern: 'gateway',
        endpoint: { transport: 'sse', url: 'http://127.0.0.1:9/sse' },
      });
      const file = await tmp.write('probes.yaml', {
        defaults: { interval: '30s' },
        targets: [
          { name: 'gw', target: 'gw.yaml', modules: ['handshake', 'tools'] },
          {
            name: 'h',
            endpoint: {
              transport: 'http',
              url: 'http://127.0.0.1:9/mcp',
              headers: { 'X-Key': `${'$'}{PROBE_TEST_KEY}` },
            },
            timeout: '5s',
          },
        ],
      });
      const c = await loadProbeConfig(file, { env: { PROBE_TEST_KEY: 'k' } });
      expect(c.targets[0]).toMatchObject({
        name: 'gw',
        intervalMs: 30_000,
        timeoutMs: 10_000,
        endpoint: { transport: 'sse' },
      });
      expect(c.targets[1]).toMatchObject({ name: 'h', timeoutMs: 5000, modules: ['handshake'] });
    } finally {
      await tmp.remove();
    }
  });
});
