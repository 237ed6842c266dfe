import { ProtocolError } from '@modelcontextprotocol/server';

const INVALID_PARAMS = -32602;

/**
 * Cut a list into pages. Cursors are opaque to clients (base64url of an
 * offset); anything we did not issue is rejected with -32602 as the spec asks.
 */
export function paginate<T>(items: T[], pageSize: number | undefined, cursor: string | undefined) {
  let offset = 0;
  if (cursor !== undefined) {
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    offset = /^(0|[1-9][0-9]*)$/.test(decoded) ? Number(decoded) : Number.NaN;
    if (!Number.isSafeInteger(offset) || offset > items.length || offset === 0) {
      throw new ProtocolError(INVALID_PARAMS, `Invalid cursor: ${cursor}`);
    }
  }
  if (pageSize === undefined) return { page: items.slice(offset), nextCursor: undefined };
  const end = offset + pageSize;
  return {
    page: items.slice(offset, end),
    nextCursor: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}
