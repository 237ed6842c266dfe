import autocannon from 'autocannon';

/**
 * autocannon as the benchmarks' baseline, sending MCP tools/call over
 * Streamable HTTP the way a real client does: every request has its own
 * JSON-RPC id (a server treats a repeated in-flight id as the same request
 * and skips its work) and requests take the sessions in turn. Throughput
 * only: autocannon's latencies are whole milliseconds, so they are not used.
 */
export interface ToolCallLoad {
  url: string;
  sessions: readonly string[];
  tool: string;
  args: Record<string, unknown>;
  connections: number;
  seconds: number;
  /** First JSON-RPC id; ids count up from here, one per request. */
  firstId?: number;
}

export interface ToolCallResult {
  /** Completed requests per second over the run (total / duration). */
  rps: number;
  requests: number;
  /** The next unused JSON-RPC id (pass it as `firstId` to keep ids unique across runs). */
  nextId: number;
}

export async function autocannonToolCalls(load: ToolCallLoad): Promise<ToolCallResult> {
  let id = load.firstId ?? 1;
  const baseHeaders = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  };
  const params = JSON.stringify({ name: load.tool, arguments: load.args });
  // Every answer must be a JSON-RPC result: a 200 carrying an error is not throughput.
  let notResults = 0;
  const result = await autocannon({
    url: load.url,
    method: 'POST',
    connections: load.connections,
    duration: load.seconds,
    headers: baseHeaders,
    requests: [
      {
        setupRequest(request) {
          const n = id++;
          request.headers = {
            ...baseHeaders,
            'mcp-session-id': load.sessions[n % load.sessions.length] as string,
          };
          request.body = `{"jsonrpc":"2.0","id":${n},"method":"tools/call","params":${params}}`;
          return request;
        },
        onResponse(_status, body) {
          if (!body.includes('"result"')) notResults++;
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || notResults > 0) {
    throw new Error(
      `${load.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts, ` +
        `${notResults} answers without a result`,
    );
  }
  const requests = result.requests.total;
  return { rps: requests / result.duration, requests, nextId: id };
}
