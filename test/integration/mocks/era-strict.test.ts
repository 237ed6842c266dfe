import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * A modern (and dual) mock is as strict as an SDK v2 server on the 2026-07-28
 * wire: the Mcp-Method header must name the body's method (-32020), a version
 * it does not serve is -32022 with data.supported, there is no ping, a missing
 * resource is -32602, and lists carry ttlMs/cacheScope. Every refusal is in the
 * call log as an error with its code, recorded as a modern message.
 */

let fleet: Fleet;
let url: string;

beforeAll(async () => {
  fleet = await startFleet({
    servers: [
      {
        name: 'strict',
        transport: 'http',
        tools: [{ name: 'echo' }],
        cache: { ttlMs: 5000, cacheScope: 'public' },
        resources: [{ uri: 'mem://a', name: 'a', text: 'A' }],
      },
    ],
  });
  url = (fleet.mcpServers().mcpServers.strict as { url: string }).url;
});
afterAll(async () => {
  await fleet?.stop();
});

let nextId = 1;
async function post(
  method: string,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
  version = '2026-07-28',
) {
  const id = nextId++;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': version,
      'mcp-method': method,
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': version,
          'io.modelcontextprotocol/clientCapabilities': {},
          'io.modelcontextprotocol/clientInfo': { name: 'strict-test', version: '0' },
        },
      },
    }),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  const json = text.startsWith('{') ? JSON.parse(text) : JSON.parse(/data: (.*)/.exec(text)![1]!);
  return {
    status: res.status,
    id,
    body: json as { result?: Record<string, unknown>; error?: { code: number; data?: unknown } },
  };
}

const recordOf = async (id: number) =>
  (await fleet.mocks.get('strict')!.calls({})).find((c) => c.id === id && c.era === 'modern');

describe('modern wire strictness', () => {
  it('answers a well-formed modern request, with ttlMs/cacheScope on the list', async () => {
    const r = await post('tools/list', {});
    expect(r.status).toBe(200);
    expect(r.body.result?.tools).toBeDefined();
    expect(r.body.result).toMatchObject({ ttlMs: 5000, cacheScope: 'public' });
    expect(await recordOf(r.id)).toMatchObject({ outcome: 'result', method: 'tools/list' });
  });

  it('an Mcp-Method header that disagrees with the body is -32020 (HTTP 400)', async () => {
    const r = await post('tools/list', {}, { 'mcp-method': 'tools/call' });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe(-32020);
    expect(await recordOf(r.id)).toMatchObject({ outcome: 'error', errorCode: -32020 });
  });

  it('an unsupported protocol version is -32022 with data.supported', async () => {
    const r = await post('tools/list', {}, {}, '2099-01-01');
    expect(r.body.error?.code).toBe(-32022);
    expect(r.body.error?.data).toMatchObject({ supported: expect.arrayContaining(['2026-07-28']) });
    expect(await recordOf(r.id)).toMatchObject({ outcome: 'error', errorCode: -32022 });
  });

  it('there is no ping in the modern era, and a missing resource is -32602', async () => {
    expect((await post('ping', {})).body.error?.code).toBe(-32601);
    const missing = await post('resources/read', { uri: 'mem://nope' }, { 'mcp-name': 'mem://nope' });
    expect(missing.body.error?.code).toBe(-32602);
    const found = await post('resources/read', { uri: 'mem://a' }, { 'mcp-name': 'mem://a' });
    expect(found.body.result).toMatchObject({ contents: [{ text: 'A' }], ttlMs: 5000 });
  });
});
