import { request as httpRequest } from 'node:http';
import { check, fail, pass, skip } from '../types.js';
import {
  describeReply,
  endWire,
  initializeRequest,
  onWire,
  openWire,
  request,
  sessionHeaders,
  WIRE_PROTOCOL_VERSION,
  type Wire,
  type WireReply,
} from './wire.js';

/** The name a DNS-rebinding page sends as Host: its own, resolved to the victim's loopback address. */
export const FOREIGN_HOST = 'evil.example';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/**
 * POST `body` with a given Host header (fetch cannot set Host, so node:http
 * does it), the way a browser does after DNS rebinding: no Origin, since the
 * page and the request share the attacker's name.
 */
function postWithHost(
  wire: Wire,
  host: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<WireReply> {
  const url = new URL(wire.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        setHost: false,
        headers: {
          ...wire.headers,
          ...headers,
          host,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        signal: AbortSignal.any([wire.signal, AbortSignal.timeout(wire.timeoutMs)]),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve({
            status: res.statusCode ?? 0,
            contentType: (h.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
            headers: h,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A local server must not answer a page that reached it through DNS rebinding (foreign Host, no Origin). */
export const foreignHost = check({
  id: 'http.foreign-host-403',
  title: 'a request with a foreign Host header (DNS rebinding) is answered 403',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Security Warning (prevent DNS rebinding) and security_best_practices ' +
    '§Local MCP Server Compromise; practice: the official SDKs’ DNS-rebinding protection and the MCP ' +
    'conformance suite refuse a non-local Host with 403 on a server listening on loopback',
  severity: 'must',
  concurrent: true,
  expected:
    `on a SUT reached at a loopback address, initialize and a request in an open session carrying ` +
    `Host: ${FOREIGN_HOST}:<port> (and no Origin) are answered HTTP 403 Forbidden; a SUT reached by another ` +
    'address is skipped (a server behind a public name legitimately accepts hosts the harness cannot predict)',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const url = new URL(wire.url);
      if (!LOOPBACK.test(url.hostname))
        return skip(
          `the SUT is reached at ${url.hostname}, not a loopback address: which Host names it serves is its own choice`,
        );
      const host = `${FOREIGN_HOST}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
      const init = await postWithHost(wire, host, initializeRequest());
      const leaked = init.headers.get('mcp-session-id');
      if (leaked !== null)
        ctx.defer(() => endWire({ wire, sessionId: leaked, protocolVersion: WIRE_PROTOCOL_VERSION }));
      const s = await openWire(ctx, wire);
      const inSession = await postWithHost(wire, host, request('ping'), sessionHeaders(s));
      const seen = (what: string, r: WireReply) => `${what} with Host ${host} → ${describeReply(r)}`;
      const observed = `${seen('initialize', init)}; ${seen('ping in a session', inSession)}`;
      return init.status === 403 && inSession.status === 403 ? pass(observed) : fail(observed);
    }),
});
