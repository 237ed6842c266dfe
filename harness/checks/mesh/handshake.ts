import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { connectEndpoint, describeError } from '../../target/connect.js';
import { check, fail, pass, skip } from '../types.js';
import { eachMember, members } from './members.js';

/**
 * Every server of the mesh completes the handshake: the session the harness
 * holds negotiated a supported revision with serverInfo and a tools
 * capability, and a fresh initialize to the same server succeeds too.
 */
export const meshHandshake = check({
  id: 'mesh.handshake',
  title: 'every server of the mesh completes the initialize handshake',
  suite: 'mesh',
  specRef: 'MCP 2025-11-25 basic/lifecycle §Initialization, §Version Negotiation',
  severity: 'must',
  expected:
    'each server answers initialize with a supported protocol revision, serverInfo and the tools capability, on the open session and on a fresh one',
  async run(ctx) {
    const ms = members(ctx);
    if (ms.length === 0) return skip('the mesh has no servers');
    const seen: string[] = [];
    const problems = await eachMember(ms, async (m) => {
      const v = m.client.getNegotiatedProtocolVersion();
      const info = m.client.getServerVersion();
      const caps = m.client.getServerCapabilities();
      seen.push(`${m.name}: ${info?.name ?? '?'} ${info?.version ?? '?'} @ ${v ?? '?'}`);
      const wrong: string[] = [];
      if (!v || !SUPPORTED_PROTOCOL_VERSIONS.includes(v)) wrong.push(`negotiated ${v ?? 'no version'}`);
      if (!info?.name || !info.version) wrong.push('no serverInfo name/version');
      if (!caps?.tools) wrong.push('no tools capability');
      if (m.endpoint) {
        try {
          const fresh = await connectEndpoint(m.endpoint, {
            timeoutMs: ctx.timeoutMs,
            protocol: ctx.target.spec.protocol,
            signal: ctx.signal,
            label: `${m.name} (fresh handshake)`,
          });
          await fresh.close();
        } catch (e) {
          wrong.push(`a fresh initialize failed: ${describeError(e)}`);
        }
      }
      return wrong.length > 0 ? `${m.name}: ${wrong.join(', ')}` : undefined;
    });
    seen.sort();
    if (problems.length > 0) return fail(problems.join('; '), { servers: seen });
    return pass(`${ms.length} servers: ${seen.join('; ')}`, { servers: seen });
  },
});
