import type { FleetInput } from '../schema/fleet.js';

/**
 * The fleet the gateway, http and security suites put behind the SUT: servers
 * on every transport, a name that collides across two servers, a server that
 * pages its list (delta, filler tools only: every feature tool is on a first
 * page, so a gateway that follows no nextCursor hides nothing else), every content type, an isError tool, a JSON-RPC error tool, progress,
 * logs, a sampling request to the client (alpha.sample), resources and
 * prompts. Checks name what they use as `server.tool`.
 */
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * Every server offers completions, logging and resource subscriptions, so a
 * gateway must advertise and serve them (gateway.capabilities-relayed).
 */
const EVERY_CAPABILITY = { completions: true, subscribe: true, logging: true };

/** delta's tools: three pages of three, the last one short. */
const FILLER_TOOLS = 8;

export const CONFORMANCE_FLEET = {
  seed: 1,
  servers: [
    {
      name: 'alpha',
      transport: 'http',
      // 2025-only: sessions to expire, server-to-client requests; a modern client reaches it across eras.
      era: 'legacy',
      capabilities: EVERY_CAPABILITY,
      tools: [
        {
          name: 'echo',
          description: 'Echo the arguments back',
          inputSchema: {
            type: 'object',
            properties: { message: { type: 'string' }, n: { type: 'number' } },
            required: ['message'],
          },
          result: { echo: true },
        },
        {
          name: 'add',
          title: 'Add two numbers',
          description: 'Adds a and b (always answers 3 for 1 + 2)',
          inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
          outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] },
          annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
          result: { text: '3', structuredContent: { sum: 3 } },
        },
        {
          name: 'fail',
          description: 'Always fails as a tool (isError): three text blocks and structuredContent',
          result: {
            isError: true,
            text: 'alpha/fail: the widget is broken',
            content: [
              { type: 'text', text: 'alpha/fail: the gear on the left has slipped' },
              { type: 'text', text: 'alpha/fail: try again after a reset' },
            ],
            structuredContent: { broken: 'widget', retryable: false },
          },
        },
        {
          name: 'rpc_error',
          description: 'Always answers with a JSON-RPC error -32050',
          result: { text: 'never sent' },
        },
        {
          name: 'rich',
          description: 'Every content type and structuredContent',
          result: {
            content: [
              { type: 'text', text: 'plain text' },
              { type: 'image', data: PNG_1PX, mimeType: 'image/png' },
              { type: 'audio', data: 'UklGRiQAAABXQVZF', mimeType: 'audio/wav' },
              { type: 'resource_link', uri: 'alpha://docs/readme', name: 'readme', mimeType: 'text/plain' },
              {
                type: 'resource',
                resource: { uri: 'alpha://docs/inline', mimeType: 'text/plain', text: 'inline' },
              },
            ],
            structuredContent: { kinds: ['text', 'image', 'audio', 'resource_link', 'resource'] },
          },
        },
        {
          name: 'progress',
          description: 'Sends three progress notifications, then answers',
          progress: { steps: 3, intervalMs: 20 },
          result: { text: 'done' },
        },
        {
          name: 'log',
          description: 'Sends a log message, then answers',
          logs: [{ level: 'info', data: 'alpha log line', logger: 'alpha' }],
          result: { text: 'logged' },
        },
        {
          name: 'slow',
          description: 'Answers after a fault-controlled delay',
          result: { text: 'slow done' },
        },
        {
          name: 'sample',
          description: 'Asks the client for a completion (sampling/createMessage) and answers with it',
          ask: 'sampling',
        },
      ],
      resources: [
        { uri: 'alpha://docs/readme', name: 'readme', mimeType: 'text/plain', text: 'alpha readme' },
      ],
      resourceTemplates: [
        {
          uriTemplate: 'alpha://items/{id}',
          name: 'item',
          mimeType: 'text/plain',
          text: 'alpha item {id}',
          completions: { id: ['item-1', 'item-2', 'other'] },
        },
      ],
      prompts: [
        {
          name: 'greet',
          description: 'Greets someone',
          arguments: [{ name: 'who', required: true, completions: ['albert', 'alice', 'bob'] }],
          messages: [{ role: 'user', text: 'Hello {{args.who}} from alpha' }],
        },
      ],
      faults: [
        { type: 'protocol-error', tools: ['rpc_error'], code: -32050, message: 'alpha/rpc_error refused' },
      ],
    },
    {
      name: 'beta',
      transport: 'http',
      capabilities: EVERY_CAPABILITY,
      tools: [
        {
          name: 'echo',
          description: 'Echo from beta (same name as alpha.echo)',
          inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
          result: { text: 'beta says {{args.message}}' },
        },
        { name: 'lookup', description: 'Look something up', result: { text: 'beta lookup' } },
        // Serves both eras: a gateway reaching it in 2026-07-28 gets input_required for this question.
        { name: 'confirm', description: 'Asks the client to confirm (elicitation)', ask: 'elicitation' },
      ],
      resources: [{ uri: 'beta://notes/one', name: 'one', mimeType: 'text/plain', text: 'beta note' }],
    },
    {
      name: 'gamma',
      transport: 'stdio',
      capabilities: EVERY_CAPABILITY,
      tools: [{ name: 'status', description: 'Status of gamma', result: { text: 'gamma ok' } }],
    },
    {
      // Pagination lives on a server of its own: a gateway that follows no nextCursor loses
      // delta's later pages (gateway.pagination-aggregated), never a tool another check needs.
      name: 'delta',
      transport: 'http',
      capabilities: EVERY_CAPABILITY,
      pageSize: 3,
      tools: Array.from({ length: FILLER_TOOLS }, (_, i) => ({
        name: `filler_${i + 1}`,
        description: `Filler tool ${i + 1} of ${FILLER_TOOLS} (delta lists its tools three per page)`,
        result: { text: `delta filler ${i + 1}` },
      })),
    },
  ],
} satisfies FleetInput;

/**
 * The built-in fleet, optionally cut to some servers and moved to one
 * transport (a bridge wraps a single stdio server: `servers: [alpha]`,
 * `transport: stdio`).
 */
export function conformanceFleet(
  servers?: readonly string[],
  transport?: 'stdio' | 'http' | 'sse',
): FleetInput {
  const kept = CONFORMANCE_FLEET.servers.filter((s) => !servers || servers.includes(s.name));
  return {
    ...CONFORMANCE_FLEET,
    servers: kept.map((s) => (transport ? { ...s, transport } : s)),
  } as FleetInput;
}
