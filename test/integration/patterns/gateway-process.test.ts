import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, eventually } from '../../helpers/mocks.js';
import { type FleetHandle, fleetWithFile, textOf } from './gateway-setup.js';

/**
 * The gateway as a process (main.ts, run through tsx so no build is needed):
 * readiness line on stderr, both upstream transports, a clean stop on
 * SIGTERM that ends every downstream child, and exit code 2 with every
 * problem listed for an invalid config.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'mocks/patterns/gateway/main.ts');
const NODE_ARGS = ['--import', 'tsx', MAIN];

let f: FleetHandle;
const children: ChildProcess[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  f = await fleetWithFile({
    servers: [
      {
        name: 'web',
        transport: 'http',
        tools: [{ name: 'fetch', result: { text: 'fetched {{args.url}}' } }],
      },
      { name: 'chat', transport: 'stdio', tools: [{ name: 'post', result: { text: 'posted' } }] },
    ],
  });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await f?.stop();
});

const chatInstances = () => f.fleet.mocks.get('chat')!.instances();

/** Start the gateway process and wait for its readiness line. */
async function startProcess(
  args: string[],
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no readiness line; stderr:\n${stderr}`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /gateway listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}; stderr:\n${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', r)));

describe('main.ts', () => {
  it('serves Streamable HTTP, prints the readiness line, and stops cleanly on SIGTERM', async () => {
    const { child, url } = await startProcess(['--config', f.file, '--port', '0', '--timeout-ms', '8000']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'process-test', version: '0' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['web__fetch', 'chat__post']);
    expect(textOf(await client.callTool({ name: 'web__fetch', arguments: { url: 'x' } }))).toBe('fetched x');
    expect(textOf(await client.callTool({ name: 'chat__post', arguments: {} }))).toBe('posted');
    expect(chatInstances()).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    await eventually(() => chatInstances() === 0, 5000);
  });

  it('serves stdio (stdout carries only MCP) and exits when the client goes away', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...NODE_ARGS, '--config', f.file, '--transport', 'stdio'],
      cwd: ROOT,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'process-test', version: '0' });
    clients.push(client);
    await client.connect(transport);
    const pid = transport.pid!;
    expect(textOf(await client.callTool({ name: 'chat__post', arguments: {} }))).toBe('posted');
    expect(chatInstances()).toBeGreaterThan(0);
    await client.close();
    await eventually(() => !alive(pid), 8000);
    await eventually(() => chatInstances() === 0, 5000);
  });

  it('refuses an invalid config with exit code 2 and every problem with its path', async () => {
    const bad = join(dirname(f.file), 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        mcpServers: { a: { url: 'not a url' }, b: { command: '' } },
        gateway: { separator: '/', timeoutMs: 0, replicas: { g: ['nope'] } },
      }),
    );
    const child = spawn(process.execPath, [...NODE_ARGS, '--config', bad], { cwd: ROOT });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    expect(await exited(child)).toBe(2);
    for (const path of [
      'mcpServers.a.url',
      'mcpServers.b.command',
      'gateway.separator',
      'gateway.timeoutMs',
    ]) {
      expect(stderr).toContain(`- ${path}:`);
    }
  });
});
