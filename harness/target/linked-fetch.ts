import { setMaxListeners } from 'node:events';
import type { FetchLike } from '@modelcontextprotocol/client';

/**
 * The fetch the Streamable HTTP client transport uses. The SDK passes its
 * one long-lived abort signal to every request, and Node's fetch adds an
 * abort listener to it per request, released only when the request is
 * garbage-collected: after ~1,500 requests on one connection Node warns
 * MaxListenersExceeded. Here each request gets its own signal, linked to the
 * transport's by one listener that is removed as soon as the response body
 * ends, fails or is cancelled (or the request fails; a single JSON body as
 * soon as its headers are in: the transport reads it at once), so aborting the
 * transport still aborts what is in flight and nothing accumulates. The
 * transport's signal then holds one listener per request in flight (or body
 * not yet read), which may be many at once: a session with 20 concurrent
 * calls is not a leak, so its limit is lifted once.
 */
const lifted = new WeakSet<AbortSignal>();

export const linkedFetch: FetchLike = async (url, init) => {
  const parent = init?.signal;
  if (!parent) return fetch(url, init);
  if (!lifted.has(parent)) {
    setMaxListeners(0, parent);
    lifted.add(parent);
  }
  const own = new AbortController();
  const forward = () => own.abort(parent.reason);
  if (parent.aborted) own.abort(parent.reason);
  else parent.addEventListener('abort', forward, { once: true });
  const release = () => parent.removeEventListener('abort', forward);
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: own.signal });
  } catch (e) {
    release();
    throw e;
  }
  // One JSON body is read at once by the transport: nothing long-lived left to abort, no wrapping
  // (re-streaming the body costs every call). An SSE stream stays linked until it ends.
  if (!res.body || res.headers.get('content-type')?.includes('application/json')) {
    release();
    return res;
  }
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        release();
        controller.error(e);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
};
