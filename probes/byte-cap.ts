import type { Endpoint } from '../harness/schema/target.js';

/**
 * A per-probe budget of bytes received over HTTP. The SDK's HTTP transports read answers with
 * the global `fetch`; a probe's endpoint carries a private header naming its budget, which the
 * fetch wrapper takes off the request (the target never sees it) and uses to count every
 * response body against the budget: the first byte over it errors the stream and calls
 * `onExceeded` (the probe then fails as too_large instead of buffering a huge answer or an
 * endless stream). Requests without the header pass through untouched.
 */
export interface ByteBudget {
  max: number;
  used: number;
  onExceeded(): void;
}

const BUDGET_HEADER = 'x-mcp-harness-byte-budget';
const budgets = new Map<string, ByteBudget>();
let seq = 0;
let installed = false;

export class AnswerTooLarge extends Error {
  constructor(readonly max: number) {
    super(`the target sent more than ${max} bytes (maxBytes)`);
  }
}

/** The endpoint to connect with while the budget applies; `release` ends it (idempotent). */
export function capEndpoint(endpoint: Endpoint, budget: ByteBudget): { endpoint: Endpoint; release(): void } {
  if (endpoint.transport === 'stdio') return { endpoint, release() {} };
  install();
  const id = String(++seq);
  budgets.set(id, budget);
  return {
    endpoint: { ...endpoint, headers: { ...endpoint.headers, [BUDGET_HEADER]: id } },
    release: () => budgets.delete(id),
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const raw = init?.headers;
    if (!raw) return original(input, init);
    const headers = new Headers(raw);
    const id = headers.get(BUDGET_HEADER);
    if (id === null) return original(input, init);
    headers.delete(BUDGET_HEADER);
    const res = await original(input, { ...init, headers });
    const budget = budgets.get(id);
    if (!budget || !res.body) return res;
    return new Response(res.body.pipeThrough(counter(budget)), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

function counter(budget: ByteBudget): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      budget.used += chunk.byteLength;
      if (budget.used > budget.max) {
        controller.error(new AnswerTooLarge(budget.max));
        budget.onExceeded();
        return;
      }
      controller.enqueue(chunk);
    },
  });
}
