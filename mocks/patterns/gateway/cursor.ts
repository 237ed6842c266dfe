import { randomBytes } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/server';
import type { Defects } from './defects.js';
import { GATEWAY_ERROR } from './errors.js';

/**
 * The gateway paginates the lists it serves with its own opaque cursors:
 * base64url JSON naming the list, the offset and a per-gateway key, so a
 * cursor of another list, another gateway or a made-up string is refused
 * with -32602 (the downstream cursors never leak upstream).
 */
export class Paginator {
  private readonly key = randomBytes(6).toString('base64url');

  constructor(
    private readonly pageSize: number,
    private readonly defects: Defects,
  ) {}

  page<T>(list: readonly T[], kind: string, cursor: string | undefined): { page: T[]; nextCursor?: string } {
    const offset = cursor === undefined ? 0 : this.decode(kind, cursor);
    const end = offset + this.pageSize;
    const page = list.slice(offset, end);
    return end < list.length ? { page, nextCursor: this.encode(kind, end) } : { page };
  }

  private encode(kind: string, offset: number): string {
    return Buffer.from(JSON.stringify({ l: kind, o: offset, k: this.key })).toString('base64url');
  }

  private decode(kind: string, cursor: string): number {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const c = parsed as { l?: unknown; o?: unknown; k?: unknown } | undefined;
    if (c && c.l === kind && c.k === this.key && Number.isSafeInteger(c.o) && (c.o as number) >= 0) {
      return c.o as number;
    }
    if (this.defects.has('bad-cursor-accepted')) return 0;
    throw new ProtocolError(GATEWAY_ERROR.invalidParams, `Invalid cursor for ${kind}`);
  }
}
