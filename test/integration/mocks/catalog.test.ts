import {
  Client,
  type LoggingMessageNotification,
  type Progress,
  ProtocolError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Tool,
} from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { eventually, startFleet } from '../../helpers/mocks.js';

/**
 * The catalogue a mock serves, as a real SDK client sees it: pagination,
 * every result shape, resources, templates, prompts, progress, logs, and
 * list_changed when tools come and go at run time.
 */

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
const WAV = Buffer.from('RIFF....WAVEfmt ').toString('base64');
const BLOB = Buffer.from([0, 1, 2, 250, 251, 252]).toString('base64');

const FLEET: FleetInput = {
  servers: [
    {
      name: 'paged',
      transport: 'http',
      pageSize: 2,
      tools: ['t1', 't2', 't3', 't4', 't5'].map((name) => ({ name })),
    },
    {
      name: 'cat',
      transport: 'http',
      tools: [
        {
          name: 'templated',
          result: { text: 'Hello {{args.user.name}}, you are {{args.age}} ({{args.missing}})' },
        },
        {
          name: 'strict',
          inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
          result: { text: 'n={{args.n}}' },
        },
        { name: 'image', result: { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] } },
        { name: 'audio', result: { content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] } },
        {
          name: 'link',
          result: {
            content: [
              {
                type: 'resource_link',
                uri: 'file:///src/{{args.file}}',
                name: '{{args.file}}',
                mimeType: 'text/x-typescript',
              },
            ],
          },
        },
        {
          name: 'embedded',
          result: {
            content: [
              {
                type: 'resource',
                resource: { uri: 'mem://note/{{args.id}}', mimeType: 'text/plain', text: 'note {{args.id}}' },
              },
            ],
          },
        },
        {
          name: 'structured',
          outputSchema: {
            type: 'object',
            properties: { total: { type: 'number' }, query: { type: 'string' } },
            required: ['total', 'query'],
          },
          result: { structuredContent: { total: 3, query: '{{args.q}}' } },
        },
        { name: 'echo', result: { echo: true } },
        { name: 'failing', result: { text: 'the tool failed on purpose', isError: true } },
        { name: 'progressive', progress: { steps: 4, intervalMs: 5 }, result: { text: 'done' } },
        {
          name: 'chatty',
          logs: [
            { level: 'info', data: 'starting', logger: 'mock-logger' },
            { level: 'warning', data: { disk: 'almost full' } },
          ],
          result: { text: 'talked' },
        },
      ],
      resources: [
        { uri: 'mem://readme', name: 'readme', mimeType: 'text/markdown', text: '# Readme' },
        { uri: 'mem://logo', name: 'logo', mimeType: 'application/octet-stream', blob: BLOB },
      ],
      resourceTemplates: [
        {
          uriTemplate: 'users://{id}/profile',
          name: 'profile',
          mimeType: 'application/json',
          text: '{"id":"{id}","name":"user {id}"}',
        },
      ],
      prompts: [
        {
          name: 'greet',
          description: 'Greet someone',
          arguments: [{ name: 'who', required: true }, { name: 'tone' }],
          messages: [
            { role: 'user', text: 'Say hello to {{args.who}} {{args.tone}}' },
            { role: 'assistant', text: 'Hello, {{args.who}}!' },
          ],
        },
      ],
    },
    { name: 'dyn-http', transport: 'http', tools: [{ name: 'base' }] },
    { name: 'dyn-json', transport: 'http', http: { response: 'json' }, tools: [{ name: 'base' }] },
    { name: 'dyn-sse', transport: 'sse', tools: [{ name: 'base' }] },
    {
      name: 'caps',
      transport: 'http',
      capabilities: { completions: true, subscribe: true },
      resources: [{ uri: 'mem://watched', name: 'watched', text: 'v1' }],
      resourceTemplates: [
        {
          uriTemplate: 'repo://{owner}',
          name: 'repo',
          text: 'repo {owner}',
          completions: { owner: ['ann', 'andy', 'bo'] },
        },
      ],
      prompts: [
        {
          name: 'pick',
          arguments: [{ name: 'lang', completions: ['python', 'perl', 'go'] }, { name: 'free' }],
          messages: [{ role: 'user', text: 'use {{args.lang}}' }],
        },
      ],
    },
  ],
};

let fleet: Fleet;
const clients: Client[] = [];

beforeAll(async () => {
  fleet = await startFleet(FLEET);
});
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await fleet?.stop();
});

async function connect(name: string, onToolsChanged?: (tools: Tool[] | null) => void): Promise<Client> {
  const client = new Client(
    { name: 'catalog-test', version: '0.0.0' },
    onToolsChanged
      ? {
          listChanged: {
            tools: {
              debounceMs: 0,
              onChanged: (error, tools) => (error ? undefined : onToolsChanged(tools)),
            },
          },
        }
      : {},
  );
  const entry = fleet.mcpServers().mcpServers[name];
  if (!entry || !('url' in entry)) throw new Error(`no http mock ${name}`);
  const url = new URL(entry.url);
  await client.connect(
    entry.type === 'sse' ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url),
  );
  clients.push(client);
  return client;
}

/** The JSON-RPC error a promise rejects with. */
async function rpcError(p: Promise<unknown>): Promise<ProtocolError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProtocolError);
  return e as ProtocolError;
}

const calls = (mock: string, tool: string) => fleet.mocks.get(mock)!.calls({ method: 'tools/call', tool });

describe('pagination', () => {
  it('pages tools/list by pageSize with a nextCursor chain (2/2/1)', async () => {
    const client = await connect('paged');
    const first = await client.request({ method: 'tools/list', params: {} });
    expect(first.tools.map((t) => t.name)).toEqual(['t1', 't2']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.listTools({ cursor: first.nextCursor! });
    expect(second.tools.map((t) => t.name)).toEqual(['t3', 't4']);
    expect(second.nextCursor).toEqual(expect.any(String));
    expect(second.nextCursor).not.toBe(first.nextCursor);
    const third = await client.listTools({ cursor: second.nextCursor! });
    expect(third.tools.map((t) => t.name)).toEqual(['t5']);
    expect(third.nextCursor).toBeUndefined();
    // Without a cursor the SDK walks every page itself.
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['t1', 't2', 't3', 't4', 't5']);

    const lists = await fleet.mocks.get('paged')!.calls({ method: 'tools/list' });
    expect(lists.slice(0, 3).map((r) => r.params?.cursor)).toEqual([
      undefined,
      first.nextCursor,
      second.nextCursor,
    ]);
  });

  it('rejects a cursor it did not issue with -32602', async () => {
    const client = await connect('paged');
    for (const cursor of [
      'not-a-cursor',
      Buffer.from('99').toString('base64url'),
      Buffer.from('0').toString('base64url'),
    ]) {
      const e = await rpcError(client.request({ method: 'tools/list', params: { cursor } }));
      expect(e.code).toBe(-32602);
      expect(e.message).toContain('Invalid cursor');
    }
  });
});

describe('tools/call', () => {
  it('answers an unknown tool with a JSON-RPC -32602 error, not an isError result', async () => {
    const client = await connect('cat');
    const e = await rpcError(client.callTool({ name: 'no_such_tool', arguments: {} }));
    expect(e.code).toBe(-32602);
    expect(e.message).toContain('no_such_tool');
    // The mock itself answered so (not a client-side check).
    const [record] = await calls('cat', 'no_such_tool');
    expect(record).toMatchObject({ outcome: 'error', errorCode: -32602 });
  });

  it('answers arguments failing the inputSchema with an isError result', async () => {
    const client = await connect('cat');
    const r = await client.callTool({ name: 'strict', arguments: { n: 'three' } });
    expect(r.isError).toBe(true);
    expect(r.content).toEqual([
      { type: 'text', text: expect.stringContaining('invalid arguments for strict') },
    ]);
    expect((await client.callTool({ name: 'strict', arguments: {} })).isError).toBe(true);
    expect(await client.callTool({ name: 'strict', arguments: { n: 3 } })).toMatchObject({
      content: [{ type: 'text', text: 'n=3' }],
    });
    expect((await calls('cat', 'strict')).map((r) => r.outcome)).toEqual(['isError', 'isError', 'result']);
  });

  it('renders {{args.x}} templates in text (nested paths, JSON for non-strings, empty when absent)', async () => {
    const client = await connect('cat');
    const r = await client.callTool({ name: 'templated', arguments: { user: { name: 'Ada' }, age: 36 } });
    expect(r.content).toEqual([{ type: 'text', text: 'Hello Ada, you are 36 ()' }]);
  });

  it('returns image, audio, resource_link and embedded resource blocks', async () => {
    const client = await connect('cat');
    expect((await client.callTool({ name: 'image', arguments: {} })).content).toEqual([
      { type: 'image', data: PNG, mimeType: 'image/png' },
    ]);
    expect((await client.callTool({ name: 'audio', arguments: {} })).content).toEqual([
      { type: 'audio', data: WAV, mimeType: 'audio/wav' },
    ]);
    expect((await client.callTool({ name: 'link', arguments: { file: 'config.ts' } })).content).toEqual([
      {
        type: 'resource_link',
        uri: 'file:///src/config.ts',
        name: 'config.ts',
        mimeType: 'text/x-typescript',
      },
    ]);
    expect((await client.callTool({ name: 'embedded', arguments: { id: '7' } })).content).toEqual([
      { type: 'resource', resource: { uri: 'mem://note/7', mimeType: 'text/plain', text: 'note 7' } },
    ]);
  });

  it('returns structuredContent (templated, matching the outputSchema) with its JSON as text', async () => {
    const client = await connect('cat');
    const tool = (await client.listTools()).tools.find((t) => t.name === 'structured');
    expect(tool?.outputSchema).toMatchObject({ type: 'object', required: ['total', 'query'] });
    const r = await client.callTool({ name: 'structured', arguments: { q: 'crash' } });
    expect(r.structuredContent).toEqual({ total: 3, query: 'crash' });
    expect(r.content).toEqual([{ type: 'text', text: JSON.stringify({ total: 3, query: 'crash' }) }]);
  });

  it('echoes the arguments as text and structuredContent', async () => {
    const client = await connect('cat');
    const args = { a: 1, b: ['x', { c: true }], s: 'str' };
    const r = await client.callTool({ name: 'echo', arguments: args });
    expect(r.structuredContent).toEqual(args);
    expect(r.content).toEqual([{ type: 'text', text: JSON.stringify(args) }]);
  });

  it('returns a declared isError result as a result, recorded as isError', async () => {
    const client = await connect('cat');
    const r = await client.callTool({ name: 'failing', arguments: {} });
    expect(r).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'the tool failed on purpose' }],
    });
    expect((await calls('cat', 'failing'))[0]?.outcome).toBe('isError');
  });
});

describe('resources', () => {
  it('lists resources and reads text and blob contents', async () => {
    const client = await connect('cat');
    const { resources } = await client.listResources();
    expect(resources).toEqual([
      { uri: 'mem://readme', name: 'readme', mimeType: 'text/markdown' },
      { uri: 'mem://logo', name: 'logo', mimeType: 'application/octet-stream' },
    ]);
    expect((await client.readResource({ uri: 'mem://readme' })).contents).toEqual([
      { uri: 'mem://readme', mimeType: 'text/markdown', text: '# Readme' },
    ]);
    const blob = (await client.readResource({ uri: 'mem://logo' })).contents[0] as { blob: string };
    expect(Buffer.from(blob.blob, 'base64')).toEqual(Buffer.from([0, 1, 2, 250, 251, 252]));
  });

  it('lists templates and reads a templated URI with the variable substituted', async () => {
    const client = await connect('cat');
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([
      { uriTemplate: 'users://{id}/profile', name: 'profile', mimeType: 'application/json' },
    ]);
    const { contents } = await client.readResource({ uri: 'users://42/profile' });
    expect(contents).toEqual([
      { uri: 'users://42/profile', mimeType: 'application/json', text: '{"id":"42","name":"user 42"}' },
    ]);
  });

  it('answers an unknown resource with a JSON-RPC resource-not-found error', async () => {
    const client = await connect('cat');
    const e = await rpcError(client.readResource({ uri: 'mem://missing' }));
    // The mock throws -32002; the SDK puts the current spec's -32602 on the wire (clients accept both).
    expect([-32602, -32002]).toContain(e.code);
    expect(e.message).toContain('mem://missing');
    const [record] = await fleet.mocks
      .get('cat')!
      .calls({ method: 'resources/read' })
      .then((r) => r.filter((x) => x.params?.uri === 'mem://missing'));
    expect(record).toMatchObject({ outcome: 'error', errorCode: e.code });
  });
});

describe('prompts', () => {
  it('lists prompts and renders arguments into the messages', async () => {
    const client = await connect('cat');
    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([
      {
        name: 'greet',
        description: 'Greet someone',
        arguments: [{ name: 'who', required: true }, { name: 'tone' }],
      },
    ]);
    const got = await client.getPrompt({ name: 'greet', arguments: { who: 'Bob', tone: 'warmly' } });
    expect(got).toMatchObject({
      description: 'Greet someone',
      messages: [
        { role: 'user', content: { type: 'text', text: 'Say hello to Bob warmly' } },
        { role: 'assistant', content: { type: 'text', text: 'Hello, Bob!' } },
      ],
    });
  });

  it('answers a missing required argument or an unknown prompt with -32602', async () => {
    const client = await connect('cat');
    const missing = await rpcError(client.getPrompt({ name: 'greet', arguments: { tone: 'coldly' } }));
    expect(missing.code).toBe(-32602);
    expect(missing.message).toContain('who');
    expect((await rpcError(client.getPrompt({ name: 'nope' }))).code).toBe(-32602);
  });
});

describe('notifications during a call', () => {
  it('sends progress notifications when the call has a progressToken, all before the result', async () => {
    const client = await connect('cat');
    const events: Array<Progress | 'result'> = [];
    const r = await client.callTool(
      { name: 'progressive', arguments: {} },
      { onprogress: (p) => events.push(p) },
    );
    events.push('result');
    expect(r.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(events).toHaveLength(5);
    expect(events.at(-1)).toBe('result');
    const progress = events.slice(0, 4) as Progress[];
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4]);
    for (const p of progress) expect(p.total).toBe(4);

    const [record] = await calls('cat', 'progressive');
    expect(record!.progressToken).toEqual(expect.anything());
    expect(record!.sent.map((s) => s.method)).toEqual(Array(4).fill('notifications/progress'));
    const times = record!.sent.map((s) => s.atUs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(record!.firstByteUs).toBe(times[0]);
    expect(times.at(-1)!).toBeLessThanOrEqual(record!.completedUs!);
    expect(record!.completedUs! - record!.receivedUs).toBeGreaterThanOrEqual(3 * 5 * 1000 - 1000);
  });

  it('sends no progress without a progressToken', async () => {
    const client = await connect('cat');
    await client.callTool({ name: 'progressive', arguments: {} });
    const record = (await calls('cat', 'progressive')).at(-1);
    expect(record!.progressToken).toBeUndefined();
    expect(record!.sent).toEqual([]);
  });

  it('sends the tool log messages to the client', async () => {
    const client = await connect('cat');
    const logs: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler('notifications/message', (n) => {
      logs.push(n.params);
    });
    await client.callTool({ name: 'chatty', arguments: {} });
    await eventually(() => logs.length >= 2);
    expect(logs).toEqual([
      expect.objectContaining({ level: 'info', data: 'starting', logger: 'mock-logger' }),
      expect.objectContaining({ level: 'warning', data: { disk: 'almost full' } }),
    ]);
    const [record] = await calls('cat', 'chatty');
    expect(record!.sent.map((s) => s.method)).toEqual(['notifications/message', 'notifications/message']);
  });
});

describe.each(['dyn-http', 'dyn-json', 'dyn-sse'])('list_changed over %s', (mock) => {
  it('addTool / removeTool at run time notify the client and change tools/list', async () => {
    const changes: string[][] = [];
    const client = await connect(mock, (tools) => changes.push((tools ?? []).map((t) => t.name)));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['base']);
    const handle = fleet.mocks.get(mock)!;
    const late = { name: 'late', description: 'added at run time', result: { text: 'late {{args.x}}' } };
    expect(await handle.addTool(late)).toMatchObject({ name: 'late', inputSchema: { type: 'object' } });
    // The notification rides the stream the client keeps open (the standalone GET, or the
    // legacy SSE stream). The client opens the GET asynchronously after initialize, so on
    // a loaded machine the first notification may precede it: re-adding re-notifies.
    await eventually(() => changes.some((c) => c.includes('late')), 1_500).catch(async () => {
      await handle.addTool(late);
      await eventually(() => changes.some((c) => c.includes('late')));
    });
    const listed = (await client.listTools()).tools;
    expect(listed.map((t) => t.name)).toEqual(['base', 'late']);
    expect(listed[1]?.description).toBe(`added at run time [origin:${mock}/late]`);
    expect((await client.callTool({ name: 'late', arguments: { x: 1 } })).content).toEqual([
      { type: 'text', text: 'late 1' },
    ]);

    const before = changes.length;
    expect(await handle.removeTool('late')).toBe(true);
    await eventually(() => changes.length > before);
    expect(changes.at(-1)).toEqual(['base']);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['base']);
    expect(await handle.removeTool('late')).toBe(false);
    expect((await rpcError(client.callTool({ name: 'late', arguments: {} }))).code).toBe(-32602);
  });
});

describe('capabilities a fleet entry declares', () => {
  it('completion/complete offers the values that start with the typed value, by prompt or template', async () => {
    const client = await connect('caps');
    expect(client.getServerCapabilities()).toMatchObject({
      completions: {},
      logging: {},
      resources: { subscribe: true },
    });
    const byPrompt = await client.complete({
      ref: { type: 'ref/prompt', name: 'pick' },
      argument: { name: 'lang', value: 'p' },
    });
    expect(byPrompt.completion).toEqual({ values: ['python', 'perl'], total: 2, hasMore: false });
    const byTemplate = await client.complete({
      ref: { type: 'ref/resource', uri: 'repo://{owner}' },
      argument: { name: 'owner', value: 'an' },
    });
    expect(byTemplate.completion.values).toEqual(['ann', 'andy']);
    const none = await client.complete({
      ref: { type: 'ref/prompt', name: 'pick' },
      argument: { name: 'free', value: '' },
    });
    expect(none.completion.values).toEqual([]);
    const unknown = await rpcError(
      client.complete({ ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' } }),
    );
    expect(unknown.code).toBe(-32602);
    // The completion values stay out of the listings.
    const listed = await client.listPrompts();
    expect(listed.prompts[0]?.arguments?.[0]).toEqual({ name: 'lang' });
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates[0]).not.toHaveProperty('completions');
  });

  it('resources/subscribe is followed by notifications/resources/updated; logging/setLevel is accepted', async () => {
    const client = await connect('caps');
    const updated: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    await client.subscribeResource({ uri: 'mem://watched' });
    await eventually(() => expect(updated).toEqual(['mem://watched']));
    await client.unsubscribeResource({ uri: 'mem://watched' });
    await expect(client.setLoggingLevel('error')).resolves.toEqual({});
  });

  it('a server that declares none answers completion/complete and resources/subscribe with -32601', async () => {
    const client = await connect('cat');
    const caps = client.getServerCapabilities();
    expect(caps?.completions).toBeUndefined();
    expect(caps?.resources?.subscribe).toBeUndefined();
    const complete = await rpcError(
      client.request({
        method: 'completion/complete',
        params: { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: '' } },
      }),
    );
    expect(complete.code).toBe(-32601);
    const sub = await rpcError(
      client.request({ method: 'resources/subscribe', params: { uri: 'mem://readme' } }),
    );
    expect(sub.code).toBe(-32601);
  });
});
