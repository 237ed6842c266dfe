/**
 * Pre-serialized JSON-RPC for the hot path: the body of a tools/call is built
 * once, and each request only splices in its unique id (and, for sampled
 * requests, a `traceparent` in `params._meta`), so a request costs a string
 * concatenation rather than a JSON.stringify of the whole message.
 */
export interface RequestTemplate {
  /** Body with a unique id and, when given, a traceparent. */
  body(id: number, traceparent?: string): string;
}

export function toolCallTemplate(name: string, args: Record<string, unknown>): RequestTemplate {
  const head = `{"jsonrpc":"2.0","method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":${JSON.stringify(args)}`;
  const plain = `${head}},"id":`;
  const traced = `${head},"_meta":{"traceparent":"`;
  return {
    body: (id, traceparent) =>
      traceparent === undefined ? `${plain}${id}}` : `${traced}${traceparent}"}},"id":${id}}`,
  };
}

/** What one request came to; the answer's result (or error message) rides along for scenario steps. */
export type RequestOutcome =
  | { ok: true; result?: Record<string, unknown> }
  | {
      ok: false;
      kind: 'isError' | 'jsonrpc' | 'http' | 'timeout' | 'transport';
      detail?: string;
      result?: Record<string, unknown>;
      message?: string;
    };

/** Classify a JSON-RPC answer: a result (ok, or isError) or an error with its code. */
export function classifyAnswer(message: unknown): RequestOutcome {
  const m = message as {
    result?: Record<string, unknown>;
    error?: { code?: unknown; message?: unknown };
  } | null;
  if (m && typeof m === 'object' && m.result !== undefined)
    return m.result?.isError === true
      ? { ok: false, kind: 'isError', result: m.result }
      : { ok: true, result: m.result };
  if (m && typeof m === 'object' && m.error !== undefined)
    return {
      ok: false,
      kind: 'jsonrpc',
      detail: String(m.error?.code ?? 'unknown'),
      ...(typeof m.error?.message === 'string' ? { message: m.error.message } : {}),
    };
  return { ok: false, kind: 'transport', detail: 'not a JSON-RPC answer' };
}
