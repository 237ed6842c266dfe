import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { describeError } from '../../target/connect.js';
import type { CheckContext } from '../context.js';
import { check, fail, pass, skip } from '../types.js';

/** The revision a current client offers, an older one, and a date no MCP revision carries. */
const CURRENT = '2025-11-25';
const OLDER = '2025-06-18';
const NO_REVISION = '2024-01-01';

/** The client's versions with `v` first: the one its initialize offers (the client accepts any of them). */
const versionsFirst = (v: string) => [v, ...SUPPORTED_PROTOCOL_VERSIONS.filter((x) => x !== v)];

interface Offer {
  offered: string;
  answered?: string;
  server?: string;
  error?: string;
}

/** Open a session offering `v`; what the SUT answered (a session it opened is closed after the check). */
async function offer(ctx: CheckContext, v: string): Promise<Offer> {
  try {
    const s = await ctx.open({
      label: `handshake (offering ${v})`,
      clientOptions: { supportedProtocolVersions: versionsFirst(v) },
    });
    const client = s.connection.client;
    const info = client.getServerVersion();
    // The session is usable at that revision: a request after the handshake gets an answer
    // (any JSON-RPC answer: whether ping itself works is gateway.ping's question).
    await client.ping({ timeout: ctx.timeoutMs, signal: ctx.signal }).catch((e) => {
      if (typeof (e as { code?: unknown })?.code !== 'number') throw e;
    });
    return {
      offered: v,
      answered: client.getNegotiatedProtocolVersion(),
      server: info?.name ? `${info.name} ${info.version}` : undefined,
    };
  } catch (e) {
    return { offered: v, error: describeError(e) };
  }
}

/**
 * Version negotiation as the spec has it: the client offers a revision; a
 * server that supports it MUST answer that same revision, otherwise another
 * one it supports (its latest, preferably); a client that does not support
 * the answer disconnects. So a gateway may speak only older revisions (it is
 * a server in its own right, whatever its downstreams speak), but it must
 * answer a revision the client supports, never echo one it does not speak
 * (offered a date that is no revision, it must answer a real one), and it
 * must answer a revision with itself whenever it is seen to speak it.
 */
export const handshake = check({
  id: 'gateway.handshake',
  title: 'initialize negotiates a protocol revision both sides support',
  suite: 'gateway',
  // 2026-07-28 has no initialize: versions are offered per request (modern.discover).
  eras: ['legacy'],
  specRef:
    'MCP 2025-11-25 basic/lifecycle §Version Negotiation (a server that supports the requested version ' +
    'MUST respond with it; otherwise with another version it supports)',
  severity: 'must',
  concurrent: true,
  expected:
    `initialize offering ${CURRENT}, ${OLDER} and ${NO_REVISION} (no MCP revision) each opens a working session ` +
    'with serverInfo; each answer is a revision the client supports; an offered revision the gateway is seen ' +
    `to speak (it answered it to some offer) is answered with itself; ${NO_REVISION} is never echoed. ` +
    `Answering ${CURRENT} with an older revision is allowed: the gateway then does not support ${CURRENT}, ` +
    'whatever its downstreams speak',
  async run(ctx) {
    if (!ctx.endpoint) return skip('no single endpoint to open a session to');
    const offers: Offer[] = [];
    for (const v of [CURRENT, OLDER, NO_REVISION]) offers.push(await offer(ctx, v));
    const spoken = new Set(
      offers.flatMap((o) => (o.answered && o.answered !== NO_REVISION ? [o.answered] : [])),
    );

    const problems: string[] = [];
    for (const o of offers) {
      const label = o.offered === NO_REVISION ? `${NO_REVISION} (no MCP revision)` : o.offered;
      if (o.error) problems.push(`offering ${label}: no working session: ${o.error}`);
      else if (!o.answered)
        problems.push(`offering ${label}: the initialize result names no protocolVersion`);
      else if (o.answered === NO_REVISION)
        problems.push(`offering ${label}: answered ${NO_REVISION}, echoing a revision it cannot speak`);
      else if (o.answered !== o.offered && spoken.has(o.offered))
        problems.push(
          `offering ${o.offered}: answered ${o.answered}, although it answers ${o.offered} to another offer ` +
            '(a server that supports the requested revision must answer it)',
        );
    }
    if (offers.some((o) => o.answered && !o.server))
      problems.push('the initialize result has no serverInfo.name');

    const seen = offers
      .filter((o) => o.answered)
      .map((o) => `offering ${o.offered}: ${o.answered}${o.server ? ` from ${o.server}` : ''}`);
    const observed = [...problems, ...seen].join('; ');
    const evidence = {
      offers: Object.fromEntries(offers.map((o) => [o.offered, o.answered ?? `no session: ${o.error}`])),
    };
    if (problems.length > 0) return fail(observed, evidence);
    const older = offers.find((o) => o.offered === CURRENT)?.answered !== CURRENT;
    return pass(
      older
        ? `${observed} (it does not speak ${CURRENT}: an older revision both support is allowed)`
        : observed,
      evidence,
    );
  },
});
