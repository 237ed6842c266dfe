import { textOf } from '../../runner/outcome.js';
import { describeCall, resolveTools } from '../gateway/resilience-util.js';
import { check, fail, pass, skip } from '../types.js';
import { eraClient, erasSeen, isVerdict, serversServing, toolOf } from './util.js';

/**
 * A 2026-07-28 backend asks its client something with an `input_required`
 * result; a 2025 client is asked with a server-to-client request on its
 * session. A gateway between them fulfils the backend's input_required by
 * asking the client, and retries with the answer and the backend's state.
 */
export const inputToLegacyClient = check({
  id: 'cross-era.input-to-legacy-client',
  title: "a 2026-07-28 backend's input_required reaches a 2025 client as a sampling/elicitation request",
  suite: 'cross-era',
  specRef:
    'MCP 2026-07-28 basic/patterns/mrtr (input_required) bridged to MCP 2025-11-25 client/sampling and ' +
    'client/elicitation (server-to-client requests)',
  severity: 'must',
  concurrent: true,
  eras: ['legacy'],
  expected:
    'calling the asking tool of a backend that serves 2026-07-28 from a 2025 client that declared the ' +
    "capability: the client is asked and the backend's result carries its answer",
  async run(ctx) {
    const logical = serversServing(ctx, ['modern', 'dual'])
      .map((s) => toolOf(s, (t) => t.ask !== undefined))
      .find((t) => t !== undefined);
    if (!logical)
      return skip('the fleet has no 2026-07-28 server with an asking tool (ask: sampling|elicitation)');
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const client = await eraClient(ctx, 'legacy');
    if (isVerdict(client)) return client;
    const call = await client.session.call(r.names[0]!, { prompt: 'from cross-era.input-to-legacy-client' });
    const text = textOf(call.result);
    const [server, tool] = logical.split('.') as [string, string];
    const backendEras = await erasSeen(ctx, server, tool);
    const evidence = { asked: client.asked, call: describeCall(call), backendEras };
    // A backend that serves both eras may be reached in 2025-11-25: then it asked with a 2025 request
    // and nothing was bridged. Relaying that is a same-era question, not this check's.
    if (backendEras.length > 0 && !backendEras.includes('modern'))
      return skip(
        `the gateway reached ${server} in 2025-11-25 (it serves both eras), so there was no input_required ` +
          `to bridge (the call answered ${describeCall(call)})`,
      );
    if (client.asked.length === 0)
      return fail(`the client was never asked; the call answered ${describeCall(call)}`, evidence);
    return call.outcome === 'ok' && text.includes(client.reply.text)
      ? pass(`asked (${client.asked.join(', ')}), and the backend answered with the client's reply`, evidence)
      : fail(`asked, but the backend did not get the reply: ${describeCall(call)}`, evidence);
  },
});
