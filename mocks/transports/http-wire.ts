import type { ServerResponse } from 'node:http';
import { nowUs } from '../../harness/measure/clock.js';
import type { CallRecord } from '../../harness/schema/call-log.js';
import type { WireEffect } from '../faults/types.js';

type Chunk = string | Uint8Array;

/**
 * Act out a wire effect on a Node HTTP response that something else (the SDK
 * transport) is about to write: `drop` lets `afterBytes` of the body out and
 * destroys the socket; `slow` dribbles the body in small chunks. Effects that
 * replace the answer (`malformed`, `http-status`) are written directly by
 * `answerInstead`.
 */
export function shapeResponse(
  res: ServerResponse,
  wire: WireEffect,
  record: CallRecord,
  onDone: () => void,
): void {
  if (wire.kind === 'drop') dropAfter(res, wire.afterBytes, record, onDone);
  else if (wire.kind === 'slow') dribble(res, wire.chunkBytes, wire.intervalMs);
}

function dropAfter(res: ServerResponse, afterBytes: number, record: CallRecord, onDone: () => void) {
  let budget = afterBytes;
  const origWrite = res.write.bind(res) as (c: Chunk) => boolean;
  const cut = () => {
    record.outcome = 'dropped';
    record.completedUs = nowUs();
    onDone();
    res.socket?.destroy();
  };
  const take = (chunk: Chunk | undefined): boolean => {
    if (chunk === undefined || budget <= 0) {
      cut();
      return false;
    }
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    record.firstByteUs ??= nowUs();
    origWrite(buf.subarray(0, budget));
    budget -= buf.length;
    if (budget <= 0) cut();
    return true;
  };
  res.write = ((chunk: Chunk) => take(chunk)) as typeof res.write;
  res.end = ((chunk?: Chunk | (() => void)) => {
    if (typeof chunk !== 'function') take(chunk);
    cut();
    return res;
  }) as typeof res.end;
}

function dribble(res: ServerResponse, chunkBytes: number, intervalMs: number) {
  const origWrite = res.write.bind(res) as (c: Chunk) => boolean;
  const origEnd = res.end.bind(res) as (c?: Chunk) => ServerResponse;
  let queue: Promise<void> = Promise.resolve();
  const pace = (chunk: Chunk) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    for (let i = 0; i < buf.length; i += chunkBytes) {
      const piece = buf.subarray(i, i + chunkBytes);
      queue = queue.then(async () => {
        if (res.destroyed) return;
        origWrite(piece);
        await new Promise((r) => setTimeout(r, intervalMs));
      });
    }
  };
  res.write = ((chunk: Chunk) => {
    pace(chunk);
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: Chunk | (() => void)) => {
    if (chunk !== undefined && typeof chunk !== 'function') pace(chunk);
    queue = queue.then(() => {
      if (!res.destroyed) origEnd();
    });
    return res;
  }) as typeof res.end;
}

/** Answer the HTTP request with the effect's own bytes instead of an MCP response. */
export function answerInstead(
  res: ServerResponse,
  wire: Extract<WireEffect, { kind: 'malformed' | 'http-status' }>,
  record: CallRecord,
  sse: boolean,
): void {
  record.firstByteUs = nowUs();
  if (wire.kind === 'http-status') {
    res.writeHead(wire.status, { 'content-type': 'text/plain', ...wire.headers });
    res.end(wire.body);
    record.outcome = 'http-status';
    record.errorCode = wire.status;
  } else if (sse) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(`event: message\ndata: ${wire.bytes}\n\n`);
    record.outcome = 'malformed';
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(wire.bytes);
    record.outcome = 'malformed';
  }
  record.completedUs = nowUs();
}

/**
 * The JSON-RPC error code of a response written without the server's help (a
 * validation-ladder refusal: -32020, -32021, -32022…), read from its first
 * bytes; undefined when it carried none.
 */
export function refusalCode(res: ServerResponse): () => number | undefined {
  let head = '';
  const keep = (chunk: unknown) => {
    if (head.length < 2048 && (typeof chunk === 'string' || chunk instanceof Uint8Array))
      head += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  };
  const write = res.write.bind(res) as (c: Chunk, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (c?: Chunk | (() => void), ...rest: unknown[]) => ServerResponse;
  res.write = ((chunk: Chunk, ...rest: unknown[]) => {
    keep(chunk);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: Chunk | (() => void), ...rest: unknown[]) => {
    keep(chunk);
    return end(chunk, ...rest);
  }) as typeof res.end;
  return () => {
    const m = /"error"\s*:\s*\{[^}]*?"code"\s*:\s*(-?\d+)/.exec(head);
    return m ? Number(m[1]) : undefined;
  };
}
