import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { describeError } from '../../target/connect.js';
import { check, fail, pass, skip } from '../types.js';

/** The version a current client offers, and an older one a gateway must accept or answer with its own. */
const CURRENT = '2025-11-25';
const OLDER = '2025-06-18';

/** The client's versions with `v` first: the one its initialize offers. */
const versionsFirst = (v: string) => [v, ...SUPPORTED_PROTOCOL_VERSIONS.filter((x) => x !== v)];

/**
 * initialize succeeds and negotiates the current protocol revision; a client
 * offering an older revision still gets a session (that revision, or another
 * one both support).
 */
export const handshake = check({
  id: 'gateway.handshake',
  title: 'initialize negotiates 2025-11-25 and accepts an older client revision',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 basic/lifecycle §Initialization, §Version Negotiation',
  severity: 'must',
  expected: `initialize offering ${CURRENT} answers ${CURRENT} with serverInfo; offering ${OLDER} answers ${OLDER} or another revision the client supports`,
  async run(ctx) {
    if (!ctx.endpoint) return skip('no single endpoint to open a session to');
    const problems: string[] = [];
    const seen: string[] = [];

    let current: string | undefined;
    try {
      const s = await ctx.open({
        label: 'handshake (current)',
        clientOptions: { supportedProtocolVersions: versionsFirst(CURRENT) },
      });
      const client = s.connection.client;
      current = client.getNegotiatedProtocolVersion();
      const info = client.getServerVersion();
      seen.push(
        `offering ${CURRENT}: ${current ?? 'no version'} from ${info ? `${info.name} ${info.version}` : 'no serverInfo'}`,
      );
      if (current !== CURRENT) problems.push(`offering ${CURRENT} negotiated ${current ?? 'nothing'}`);
      if (!info?.name) problems.push('the initialize result has no serverInfo.name');
    } catch (e) {
      problems.push(`initialize offering ${CURRENT} failed: ${describeError(e)}`);
    }

    const older = versionsFirst(OLDER);
    try {
      const s = await ctx.open({
        label: 'handshake (older)',
        clientOptions: { supportedProtocolVersions: older },
      });
      const v = s.connection.client.getNegotiatedProtocolVersion();
      seen.push(`offering ${OLDER}: ${v ?? 'no version'}`);
      if (!v || !older.includes(v)) problems.push(`offering ${OLDER} negotiated ${v ?? 'nothing'}`);
      else {
        // The session is usable at that revision: a request after the handshake gets an answer
        // (any JSON-RPC answer: whether ping itself works is gateway.ping's question).
        await s.connection.client.ping({ timeout: ctx.timeoutMs, signal: ctx.signal }).catch((e) => {
          if (typeof (e as { code?: unknown })?.code !== 'number') throw e;
        });
      }
    } catch (e) {
      problems.push(`a client offering ${OLDER} got no working session: ${describeError(e)}`);
    }

    const observed = [...problems, ...seen].join('; ');
    return problems.length === 0 ? pass(observed) : fail(observed);
  },
});
