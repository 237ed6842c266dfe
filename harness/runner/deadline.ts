/** Thrown into a step when its deadline passes; carries the bound for the reason text. */
export class DeadlineError extends Error {
  constructor(
    readonly ms: number,
    readonly what: string,
  ) {
    super(`${what}: no response within the ${ms} ms step deadline`);
    this.name = 'DeadlineError';
  }
}

/**
 * A child AbortSignal that aborts with a DeadlineError after `ms`, or when the
 * parent aborts. `done()` clears the timer; always call it.
 */
export function deadlineSignal(
  parent: AbortSignal,
  ms: number,
  what: string,
): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  const timer = setTimeout(() => controller.abort(new DeadlineError(ms, what)), ms);
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}

/** Race a promise against a signal: rejects with the signal's reason when it aborts first. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** What a sleep does when a signal aborts it. */
export interface SleepOptions {
  /** Resolve (a pause the caller just cuts short) instead of rejecting. */
  quiet?: boolean;
  /** What to reject with instead of the signal's reason (a mock answers a cancelled request as MCP does). */
  reason?: () => unknown;
}

/**
 * The one sleep: at least `ms` by performance.now() (a Node timer counts whole
 * milliseconds of the loop clock and can fire up to ~1 ms early; it is re-armed
 * for the rest, so a fault's delay is served in full). Ends early when the
 * signal, or any of several, aborts: rejects with its reason (or
 * `options.reason()`), or resolves when `options.quiet`. Its timer is always cleared.
 */
export function sleep(
  ms: number,
  signal?: AbortSignal | readonly AbortSignal[],
  options: SleepOptions = {},
): Promise<void> {
  const signals = signal === undefined ? [] : 'aborted' in signal ? [signal] : signal;
  return new Promise<void>((resolve, reject) => {
    const end = (aborted: AbortSignal) => {
      if (options.quiet) resolve();
      else reject(options.reason ? options.reason() : aborted.reason);
    };
    const already = signals.find((s) => s.aborted);
    if (already) return end(already);
    const until = performance.now() + ms;
    const detach = () => {
      for (const s of signals) s.removeEventListener('abort', onAbort);
    };
    function done() {
      const left = until - performance.now();
      if (left > 0) {
        timer = setTimeout(done, left);
        return;
      }
      detach();
      resolve();
    }
    function onAbort(event: Event) {
      clearTimeout(timer);
      detach();
      end(event.target as AbortSignal);
    }
    let timer = setTimeout(done, ms);
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
  });
}
