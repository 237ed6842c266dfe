import { randomUUID } from 'node:crypto';
import { check, fail, pass, skip } from '../types.js';
import { UNSUPPORTED_VERSION } from './bad-protocol-version.js';
import { FOREIGN_ORIGIN } from './foreign-origin.js';
import { describeReply, onWire, openWire, request, sendIn, type WireReply } from './wire.js';

interface Case {
  what: string;
  id: string;
  reply: WireReply;
  /** The spec lets this error body leave the id out (MCP 2025-11-25 transports: a 403 for Origin). */
  mayOmit: boolean;
}

/** The `id` member of a JSON-RPC error body: absent, or its value; undefined when the body is no error object. */
function errorId(body: string): { has: boolean; id?: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('error' in value)) return undefined;
  return 'id' in value ? { has: true, id: (value as { id: unknown }).id } : { has: false };
}

/** An HTTP-level error answering a request whose body was read names that request by its id. */
export const errorKeepsId = check({
  id: 'http.error-keeps-id',
  title: 'HTTP-level error bodies carry the id of the request they answer',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic §Error Responses (the same id as the request, unless it could not be read; never null) ' +
    'and basic/transports §Security Warning (a 403 for Origin may carry an error response without id)',
  severity: 'should',
  concurrent: true,
  expected:
    'a JSON-RPC error body answering a readable request — 404 for an unknown Mcp-Session-Id, 400 for an unsupported ' +
    `MCP-Protocol-Version — has that request's id (not null, not missing); a 403 for a foreign Origin has that id or none`,
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const s = await openWire(ctx, wire);
      const cases: Case[] = [];
      const probe = async (
        what: string,
        mayOmit: boolean,
        send: (r: ReturnType<typeof request>) => Promise<WireReply>,
      ) => {
        const req = request('ping');
        cases.push({ what, id: req.id, reply: await send(req), mayOmit });
      };
      if (s.sessionId !== undefined)
        await probe('unknown Mcp-Session-Id', false, (r) =>
          sendIn({ ...s, sessionId: `mcp-harness-unknown-${randomUUID()}` }, r),
        );
      await probe(`MCP-Protocol-Version ${UNSUPPORTED_VERSION}`, false, (r) =>
        sendIn(s, r, { headers: { 'mcp-protocol-version': UNSUPPORTED_VERSION } }),
      );
      await probe(`Origin ${FOREIGN_ORIGIN}`, true, (r) =>
        sendIn(s, r, { headers: { origin: FOREIGN_ORIGIN } }),
      );

      const problems: string[] = [];
      const seen: string[] = [];
      let judged = 0;
      for (const c of cases) {
        const head = `ping (id ${JSON.stringify(c.id)}) with ${c.what} → HTTP ${c.reply.status}`;
        const found = c.reply.status >= 400 ? errorId(c.reply.body) : undefined;
        if (!found) {
          seen.push(`${head}: no JSON-RPC error body to judge`);
          continue;
        }
        judged++;
        if (found.has && found.id === c.id) seen.push(`${head}: id ${JSON.stringify(c.id)} kept`);
        else if (!found.has && c.mayOmit) seen.push(`${head}: no id (allowed for this error)`);
        else
          problems.push(
            `${head}: id ${found.has ? JSON.stringify(found.id) : 'missing'} — ${describeReply(c.reply)}`,
          );
      }
      if (judged === 0)
        return skip(
          `no HTTP-level error carried a JSON-RPC error body: nothing to judge (${seen.join('; ')})`,
        );
      const observed = [...problems, ...seen].join('; ');
      return problems.length === 0 ? pass(observed) : fail(observed);
    }),
});
