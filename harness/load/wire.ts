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

/** What one iteration's request came to. */
export type RequestOutcome =
  | { ok: true }
  | { ok: false; kind: 'isError' | 'jsonrpc' | 'http' | 'timeout' | 'transport'; detail?: string };

/** Classify a JSON-RPC answer: a result (ok, or isError) or an error with its code. */
export function classifyAnswer(message: unknown): RequestOutcome {
  const m = message as { result?: { isError?: unknown }; error?: { code?: unknown } } | null;
  if (m && typeof m === 'object' && m.result !== undefined)
    return m.result?.isError === true ? { ok: false, kind: 'isError' } : { ok: true };
  if (m && typeof m === 'object' && m.error !== undefined)
    return { ok: false, kind: 'jsonrpc', detail: String(m.error?.code ?? 'unknown') };
  return { ok: false, kind: 'transport', detail: 'not a JSON-RPC answer' };
}
