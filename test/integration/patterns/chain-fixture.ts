import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallRecord } from '../../../harness/schema/call-log.js';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import type { ChainInput } from '../../../mocks/patterns/chain/index.js';
import type { Fleet } from '../../../mocks/server/fleet.js';

/**
 * What the chain tests share: a fleet of three HTTP mocks (tracker, repo,
 * chat), a chain over it, an upstream SDK client, and call-log helpers.
 */

export const FLEET: FleetInput = {
  seed: 3,
  servers: [
    {
      name: 'tracker',
      transport: 'http',
      tools: [
        {
          name: 'get_issue',
          inputSchema: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] },
          result: { structuredContent: { id: '{{args.id}}', title: 'Crash on start', component: 'config' } },
        },
        { name: 'echo', result: { echo: true } },
      ],
    },
    {
      name: 'repo',
      transport: 'http',
      tools: [
        { name: 'search_code', result: { text: 'src/{{args.query}}/parse.ts:12' } },
        { name: 'echo', result: { echo: true } },
      ],
    },
    {
      name: 'chat',
      transport: 'http',
      tools: [
        { name: 'post_message', result: { text: 'posted to #{{args.channel}}' } },
        { name: 'echo', result: { echo: true } },
      ],
    },
  ],
};

export const SERVERS = ['tracker', 'repo', 'chat'] as const;

export const CHAIN: ChainInput = {
  name: 'test-chain',
  tools: [
    {
      name: 'triage',
      description: 'Read an issue, find its code, tell the channel',
      inputSchema: {
        type: 'object',
        properties: { id: { type: 'number' }, channel: { type: 'string' } },
        required: ['id', 'channel'],
      },
      pipeline: [
        { id: 'issue', server: 'tracker', tool: 'get_issue', arguments: { id: '{{input.id}}' } },
        {
          id: 'code',
          server: 'repo',
          tool: 'search_code',
          arguments: { query: '{{steps.issue.structured.component}}' },
        },
        {
          id: 'notify',
          server: 'chat',
          tool: 'post_message',
          arguments: {
            channel: '{{input.channel}}',
            text: '{{steps.issue.structured.title}}: {{steps.code.text}}',
          },
        },
      ],
      output: 'done: {{steps.notify.text}}',
    },
    {
      name: 'gather',
      fanout: [
        { id: 't', server: 'tracker', tool: 'echo', arguments: { q: '{{input.q}}', branch: 't' } },
        { id: 'r', server: 'repo', tool: 'echo', arguments: { q: '{{input.q}}', branch: 'r' } },
        { id: 'c', server: 'chat', tool: 'echo', arguments: { q: '{{input.q}}', branch: 'c' } },
      ],
    },
    {
      name: 'tagged',
      pipeline: [{ server: 'tracker', tool: 'echo', arguments: { tag: '{{input.tag}}' } }],
    },
    {
      name: 'args',
      pipeline: [
        {
          id: 'a',
          server: 'tracker',
          tool: 'echo',
          arguments: {
            n: '{{input.n}}',
            s: 'id-{{input.n}}',
            obj: '{{input.obj}}',
            fixed: [1, 'x'],
            gone: '{{input.none}}',
          },
        },
        { id: 'b', server: 'repo', tool: 'echo', arguments: { n: '{{input.n}}' } },
      ],
    },
    {
      name: 'quick',
      pipeline: [
        { id: 'a', server: 'tracker', tool: 'echo', arguments: { x: 1 } },
        { id: 'b', server: 'repo', tool: 'echo', arguments: { x: 2 }, timeoutMs: 200 },
        { id: 'c', server: 'chat', tool: 'echo', arguments: { x: 3 } },
      ],
    },
  ],
};

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

export async function connectUpstream(url: string): Promise<Client> {
  const client = new Client({ name: 'chain-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Every tools/call every mock received, oldest first. */
export async function allCalls(fleet: Fleet): Promise<CallRecord[]> {
  const lists = await Promise.all(SERVERS.map((s) => fleet.mocks.get(s)!.calls({ method: 'tools/call' })));
  return lists.flat().sort((a, b) => a.receivedUs - b.receivedUs);
}

export async function callsOf(fleet: Fleet, server: string, tool?: string): Promise<CallRecord[]> {
  return fleet.mocks.get(server)!.calls({ method: 'tools/call', ...(tool ? { tool } : {}) });
}

/** Clear every fault and call log of the fleet. */
export async function resetFleet(fleet: Fleet): Promise<void> {
  for (const s of SERVERS) {
    await fleet.mocks.get(s)!.resetFaults();
    await fleet.mocks.get(s)!.clearCalls();
  }
}

export const textOf = (r: CallToolResult): string =>
  r.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');

export const structured = (r: CallToolResult) => r.structuredContent as Record<string, unknown> | undefined;

/** Whether the calls all ran at the same time: every one started before any finished. */
export function overlapped(calls: CallRecord[]): boolean {
  const lastStart = Math.max(...calls.map((c) => c.receivedUs));
  const firstEnd = Math.min(...calls.map((c) => c.completedUs ?? Number.POSITIVE_INFINITY));
  return lastStart < firstEnd;
}

export { maxConcurrent } from '../../../harness/checks/chain/calls.js';

/** A stack frame (`    at fn (file:line:col)`) or a source path of the chain in a text. */
export const LEAK = /\n\s+at\s.+:\d+:\d+|mocks\/patterns\/chain\/\w+\.(ts|js)/;
