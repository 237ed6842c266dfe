import { check, fail, pass } from '../types.js';
import {
  describeReply,
  onWire,
  openWire,
  parseBody,
  request,
  responseTo,
  sendIn,
  type WireReply,
} from './wire.js';

const TYPES = new Set(['application/json', 'text/event-stream']);

/** Every request answer is one JSON object or an SSE stream, and carries the response to that request. */
export const jsonAndSse = check({
  id: 'http.json-and-sse',
  title: 'requests are answered with application/json or text/event-stream, and the body parses',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Sending Messages to the Server (a request: Content-Type text/event-stream or application/json; clients support both)',
  severity: 'must',
  concurrent: true,
  expected:
    'a POSTed request (Accept: application/json, text/event-stream) is answered 200 with Content-Type application/json (one JSON-RPC response) or text/event-stream (events carrying it)',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const s = await openWire(ctx, wire);
      const answers: Array<{ method: string; id: string; reply: WireReply }> = [
        { method: 'initialize', id: s.initializeId, reply: s.reply },
      ];
      for (const method of ['ping', 'tools/list']) {
        const req = request(method);
        answers.push({ method, id: req.id, reply: await sendIn(s, req) });
      }
      const seen: string[] = [];
      for (const { method, id, reply } of answers) {
        if (reply.status !== 200) return fail(`${method} → ${describeReply(reply)}`);
        if (!TYPES.has(reply.contentType))
          return fail(
            `${method} answered with Content-Type '${reply.contentType || '(none)'}': ${describeReply(reply)}`,
          );
        let ok: boolean;
        try {
          ok = responseTo(id, parseBody(reply)) !== undefined;
        } catch (e) {
          return fail(`${method}: a ${reply.contentType} body that does not parse (${(e as Error).message})`);
        }
        if (!ok)
          return fail(
            `${method}: the ${reply.contentType} body carries no response to it: ${describeReply(reply)}`,
          );
        seen.push(`${method}: ${reply.contentType}`);
      }
      return pass(`${seen.join(', ')}; every body parsed and carried its response`);
    }),
});
