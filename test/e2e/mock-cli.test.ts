import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../harness/schema/call-log.js';
import type { McpServerEntry } from '../../mocks/server/fleet.js';
import { BIN, type CliRun, ROOT, runCli } from '../helpers/cli.js';
import { alive, eventually } from '../helpers/mocks.js';

/**
 * The real `mcp-harness mock` command in a child process: it prints its
 * endpoints, serves every transport of the example fleet to real SDK clients,
 * writes an mcpServers file a SUT can spawn the stdio mock from, stops cleanly
 * on SIGTERM, and refuses invalid input with exit code 2 and every problem.
 */

const EXAMPLE = join(ROOT, 'scenarios/fleets/example.yaml');
const FIXTURES = join(ROOT, 'test/fixtures/mocks');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Run the CLI to completion (cwd: a scratch directory, so nothing lands in the repo). */
function cli(args: string[], timeout = 15_000): Promise<CliRun> {
  return runCli(args, { cwd: dir, timeout });
}

/** Child processes of a pid, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}

describe('mcp-harness mock --fleet example.yaml', () => {
  let proc: ChildProcess | undefined;
  const clients: Client[] = [];

  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await new Promise((r) => proc?.once('exit', r));
    }
    proc = undefined;
  });

  it('prints its endpoints, serves every transport, and stops on SIGTERM with nothing left behind', async () => {
    const mcpServersFile = join(dir, 'out', 'mcpServers.json');
    proc = spawn(process.execPath, [BIN, 'mock', '--fleet', EXAMPLE, '--mcp-servers', mcpServersFile], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (c) => {
      stderr += c;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      proc!.once('exit', (code, signal) => r({ code, signal })),
    );

    // Read stdout until the ready line.
    const lines: string[] = [];
    const rl = createInterface({ input: proc.stdout! });
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no ready line within 15 s:\n${lines.join('\n')}\n${stderr}`)),
        15_000,
      );
      rl.on('line', (line) => {
        lines.push(line);
        if (line.startsWith('ready')) {
          clearTimeout(timer);
          ready();
        }
      });
      void exited.then(({ code }) => fail(new Error(`exited early (${code}):\n${stderr}`)));
    });
    expect(lines.at(-1)).toBe('ready — Ctrl-C to stop');

    const mocks = new Map<string, { transport: string; where: string }>();
    for (const line of lines) {
      const m = /^mock (\S+)\s+(\S+)\s+(.+)$/.exec(line);
      if (m) mocks.set(m[1]!, { transport: m[2]!, where: m[3]! });
    }
    expect([...mocks.keys()]).toEqual(['issues', 'code', 'chat']);
    expect(mocks.get('issues')).toEqual({
      transport: 'http',
      where: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/),
    });
    expect(mocks.get('code')).toEqual({
      transport: 'sse',
      where: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/sse$/),
    });
    expect(mocks.get('chat')).toEqual({
      transport: 'stdio',
      where: `stdio: spawn it from ${mcpServersFile}`,
    });
    const controlUrl = /^control API\s+(\S+)$/m.exec(lines.join('\n'))?.[1];
    expect(controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(/^mcpServers file\s+(.+)$/m.exec(lines.join('\n'))?.[1]).toBe(mcpServersFile);

    // The mcpServers file a SUT reads agrees with what was printed.
    const { mcpServers } = JSON.parse(await readFile(mcpServersFile, 'utf8')) as {
      mcpServers: Record<string, McpServerEntry>;
    };
    expect(mcpServers.issues).toEqual({ type: 'http', url: mocks.get('issues')!.where });
    expect(mcpServers.code).toEqual({ type: 'sse', url: mocks.get('code')!.where });
    const chat = mcpServers.chat as Extract<McpServerEntry, { command: string }>;
    expect(chat).toEqual({
      command: process.execPath,
      args: [BIN, 'mock', '--fleet', EXAMPLE, '--server', 'chat', '--stdio'],
      env: { MCP_HARNESS_CONTROL: controlUrl },
    });

    const newClient = () => {
      const c = new Client({ name: 'mock-cli-e2e', version: '0.0.0' });
      clients.push(c);
      return c;
    };

    // Streamable HTTP: paginated catalogue, structured result, progress.
    const issues = newClient();
    await issues.connect(new StreamableHTTPClientTransport(new URL(mocks.get('issues')!.where)));
    expect((await issues.listTools()).tools.map((t) => t.name)).toEqual([
      'search_issues',
      'get_issue',
      'comment',
    ]);
    const found = await issues.callTool({ name: 'search_issues', arguments: { query: 'boom' } });
    expect(found.structuredContent).toEqual({ issues: [{ id: 101, title: 'Crash on start: boom' }] });
    const steps: number[] = [];
    await issues.callTool(
      { name: 'comment', arguments: { text: 'hi' } },
      { onprogress: (p) => steps.push(p.progress) },
    );
    expect(steps).toEqual([1, 2, 3]);
    expect((await issues.getPrompt({ name: 'triage', arguments: { id: '7' } })).messages[0]?.content).toEqual(
      {
        type: 'text',
        text: 'Triage issue 7',
      },
    );

    // Legacy HTTP+SSE.
    const code = newClient();
    await code.connect(new SSEClientTransport(new URL(mocks.get('code')!.where)));
    const searched = await code.callTool({ name: 'search_code', arguments: {} });
    expect(searched.content).toEqual([
      { type: 'text', text: 'src/config.ts:12 parseConfig()' },
      { type: 'resource_link', uri: 'file:///src/config.ts', name: 'config.ts' },
    ]);

    // stdio, spawned exactly as the file says (as a SUT would).
    const chatTransport = new StdioClientTransport({
      command: chat.command,
      args: chat.args,
      env: { PATH: process.env.PATH ?? '', ...chat.env },
      stderr: 'pipe',
    });
    const chatClient = newClient();
    await chatClient.connect(chatTransport);
    const chatPid = chatTransport.pid!;
    const posted = await chatClient.callTool({ name: 'post_message', arguments: { channel: 'general' } });
    expect(posted.content).toEqual([{ type: 'text', text: 'posted to general' }]);

    // The standalone harness's control API sees every mock's calls, the stdio child's included.
    const chatCalls = await eventually(async () => {
      const r = (await (
        await fetch(`${controlUrl}/mocks/chat/calls?tool=post_message`)
      ).json()) as CallRecord[];
      return r.length === 1 && r[0]!.outcome === 'result' ? r : undefined;
    });
    expect(chatCalls![0]).toMatchObject({ connection: `pid${chatPid}`, arguments: { channel: 'general' } });
    const listed = (await (await fetch(`${controlUrl}/mocks`)).json()) as Array<{
      name: string;
      instances: number;
    }>;
    expect(listed.map((m) => [m.name, m.instances])).toEqual([
      ['issues', 1],
      ['code', 1],
      ['chat', 1],
    ]);
    const issueCalls = (await (
      await fetch(`${controlUrl}/mocks/issues/calls?method=tools/call`)
    ).json()) as CallRecord[];
    expect(issueCalls.map((r) => r.tool)).toEqual(['search_issues', 'comment']);
    // The example fleet's lognormal latency fault applied to every call.
    for (const r of issueCalls) expect(r.injectedDelayUs).toBeGreaterThan(0);

    // SIGTERM: exit 0 within 5 s; no child of the CLI, no stdio mock it controls, no listener left.
    const cliPid = proc.pid!;
    const children = childrenOf(cliPid);
    const t0 = Date.now();
    proc.kill('SIGTERM');
    const { code: exitCode, signal } = await Promise.race([
      exited,
      new Promise<never>((_, fail) =>
        setTimeout(() => fail(new Error('still running 5 s after SIGTERM')), 5_000),
      ),
    ]);
    expect({ exitCode, signal }).toEqual({ exitCode: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(stderr).toBe('');
    expect(alive(cliPid)).toBe(false);
    for (const pid of children) await eventually(() => !alive(pid));
    // The fleet kills the stdio mock instances it controls when it stops.
    await eventually(() => !alive(chatPid));
    for (const url of [mocks.get('issues')!.where, mocks.get('code')!.where, controlUrl!]) {
      const refused = await fetch(url).then(
        () => 'answered',
        (e: Error & { cause?: { code?: string } }) => e.cause?.code,
      );
      expect(refused, url).toBe('ECONNREFUSED');
    }
  });
});

describe.concurrent('invalid input exits 2 and lists every problem', () => {
  const out = () => ['--mcp-servers', join(dir, 'never', 'mcpServers.json')];

  it('a fleet with many problems: each one with its path', async () => {
    const run = await cli(['mock', '--fleet', join(FIXTURES, 'invalid-fleet.yaml'), ...out()]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error \[INVALID_CONFIG\]: .*invalid-fleet\.yaml: \d+ problems$/m);
    const expected: Array<[string, RegExp]> = [
      ['servers[0].transport', /expected one of "stdio", "http", "sse"/],
      ['servers[2].tools[1].name', /\[A-Za-z0-9_.-\]/],
      ['servers[3].faults[0].type', /latency/],
      ['servers[3].faults[1]', /exactly one of `ms`/],
      ['servers[3].faults[2]', /exactly one of `ms`/],
      ['servers[4].faults[0].type', /'http-status' needs transport http or sse, server uses stdio/],
    ];
    for (const [path, message] of expected) {
      const line = run.stderr.split('\n').find((l) => l.startsWith(`  - ${path}: `));
      expect(line, `no problem listed for ${path}:\n${run.stderr}`).toBeDefined();
      expect(line).toMatch(message);
    }
    expect(run.stderr).toMatch(/^hint: /m);
  });

  it('a fleet with many problems: the duplicate server name among them', async () => {
    const run = await cli(['mock', '--fleet', join(FIXTURES, 'invalid-fleet.yaml'), ...out()]);
    expect(run.stderr).toContain("  - servers[2].name: duplicate server name 'twin'");
  });

  it('duplicate server and tool names', async () => {
    const run = await cli(['mock', '--fleet', join(FIXTURES, 'duplicate-names.yaml'), ...out()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("  - servers[1].name: duplicate server name 'twin'");
    expect(run.stderr).toContain("  - servers[2].tools[1].name: duplicate tool name 'same'");
  });

  it('a YAML syntax error, with its line and column', async () => {
    // Written here rather than kept in test/fixtures: biome lints YAML and would trip over it.
    const broken = join(dir, 'broken.yaml');
    await writeFile(
      broken,
      'servers:\n  - name: ok\n    transport: http\n    tools: [{ name: one\n  - name: two\n',
    );
    const run = await cli(['mock', '--fleet', broken, ...out()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error \[INVALID_CONFIG\]: .*broken\.yaml is not valid YAML$/m);
    expect(run.stderr).toMatch(/^ {2}- line \d+:\d+: /m);
  });

  it('a missing fleet file', async () => {
    const run = await cli(['mock', '--fleet', join(FIXTURES, 'no-such-fleet.yaml'), ...out()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error \[FILE_NOT_FOUND\]: cannot read .*no-such-fleet\.yaml$/m);
  });

  it('an unknown --server', async () => {
    const run = await cli(['mock', '--fleet', EXAMPLE, '--server', 'chat', 'nope', ...out()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("  - --server: 'nope' is not one of issues, code, chat");
  });

  it('--stdio without exactly one --server', async () => {
    for (const servers of [[], ['--server', 'chat', 'issues']]) {
      const run = await cli(['mock', '--fleet', EXAMPLE, '--stdio', ...servers, ...out()]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error \[INVALID_ARGS\]: --stdio serves exactly one server/m);
    }
  });

  it('no --fleet at all', async () => {
    const run = await cli(['mock']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--fleet <file>' not specified");
  });
});
