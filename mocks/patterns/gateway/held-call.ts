import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/server';

/** What a held call does next: ask the client something, or end. */
export type HeldEvent =
  | { kind: 'ask'; key: string; method: string; params: Record<string, unknown> | undefined }
  | { kind: 'done'; result: CallToolResult }
  | { kind: 'error'; error: unknown };

/** requestState values the gateway mints start with this (a backend's own state is passed on untouched). */
export const HELD_PREFIX = 'mcp-harness-gateway/held/';

interface Ask {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * A downstream call held across a modern client's rounds (2026-07-28 MRTR):
 * a 2025-era backend asks the client something by a server-to-client request
 * (sampling, elicitation) while its tools/call is in flight; a modern client
 * can only be asked by an `input_required` result. The call stays open here,
 * the question goes up as `inputRequests` under a `requestState` naming this
 * call, and the client's retry carries the answer back to the waiting request.
 */
export class HeldCall {
  readonly id = `${HELD_PREFIX}${randomUUID()}`;
  /** Aborts the downstream call: the client closed a round's stream, or never came back. */
  readonly controller = new AbortController();
  private readonly events: HeldEvent[] = [];
  private waiter: ((e: HeldEvent) => void) | undefined;
  private readonly asks = new Map<string, Ask>();
  private asked = 0;

  /** The backend's request, put to the client; settles with the client's answer. */
  ask(method: string, params: Record<string, unknown> | undefined): Promise<unknown> {
    const key = `${method.replace('/', '-')}-${++this.asked}`;
    return new Promise((resolve, reject) => {
      this.asks.set(key, { resolve, reject });
      this.push({ kind: 'ask', key, method, params });
    });
  }

  finish(p: Promise<CallToolResult>): void {
    p.then(
      (result) => this.push({ kind: 'done', result }),
      (error: unknown) => this.push({ kind: 'error', error }),
    );
  }

  /** Hand the client's answers to the requests waiting for them; keys never asked are ignored. */
  answer(responses: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(responses)) {
      const ask = this.asks.get(key);
      if (!ask) continue;
      this.asks.delete(key);
      ask.resolve(value);
    }
  }

  /** The next thing the call does (an ask not answered yet is asked again). */
  next(): Promise<HeldEvent> {
    const e = this.events.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Questions still open (the retry did not answer them), to ask again. */
  unanswered(): string[] {
    return [...this.asks.keys()];
  }

  /** The client gave up (no retry in time): every open question is refused. */
  abandon(reason: string): void {
    for (const ask of this.asks.values()) ask.reject(new Error(reason));
    this.asks.clear();
    this.controller.abort(new Error(reason));
  }

  private push(e: HeldEvent): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(e);
    else this.events.push(e);
  }
}

/**
 * The gateway's held calls by requestState. A call whose client does not
 * come back within `ttlMs` is abandoned (its backend's question refused).
 */
export class HeldCalls {
  private readonly held = new Map<string, { call: HeldCall; timer: NodeJS.Timeout }>();

  constructor(private readonly ttlMs: number) {}

  /** Keep `call` until its client's next round (or the ttl). */
  keep(call: HeldCall): void {
    this.release(call.id);
    const timer = setTimeout(() => {
      this.held.delete(call.id);
      call.abandon(`no retry with requestState within ${this.ttlMs} ms`);
    }, this.ttlMs);
    timer.unref();
    this.held.set(call.id, { call, timer });
  }

  /** The held call a retry names, taken out (it is kept again if it asks more). */
  take(id: string): HeldCall | undefined {
    const entry = this.held.get(id);
    if (!entry) return undefined;
    this.release(id);
    return entry.call;
  }

  close(): void {
    for (const { call } of this.held.values()) call.abandon('the gateway is closing');
    for (const id of [...this.held.keys()]) this.release(id);
  }

  private release(id: string): void {
    const entry = this.held.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.held.delete(id);
  }
}
