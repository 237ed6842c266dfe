import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A per-probe budget of bytes received over HTTP. The SDK's HTTP transports read answers
 * with the global `fetch`; inside `withByteCap` every response body is counted against the
 * probe's budget, and the first byte over it errors the stream and calls `onExceeded` (the
 * probe then fails as too_large instead of buffering a huge answer or an endless stream).
 * Outside a budget, `fetch` is untouched.
 */
export interface ByteBudget {
  max: number;
  used: number;
  onExceeded(): void;
}

const budgets = new AsyncLocalStorage<ByteBudget>();
let installed = false;

export class AnswerTooLarge extends Error {
  constructor(readonly max: number) {
    super(`the target sent more than ${max} bytes (maxBytes)`);
  }
}

export function withByteCap<T>(budget: ByteBudget, fn: () => Promise<T>): Promise<T> {
  install();
  return budgets.run(budget, fn);
}

function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const budget = budgets.getStore();
    const res = await original(input, init);
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
