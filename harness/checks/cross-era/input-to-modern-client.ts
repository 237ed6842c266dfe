import { textOf } from '../../runner/outcome.js';
import { describeCall, resolveTools } from '../gateway/resilience-util.js';
import { check, fail, pass, skip } from '../types.js';
import { eraClient, isVerdict, serversServing, toolOf } from './util.js';

/**
 * A 2025 backend asks its client something with a server-to-client request
 * (sampling, elicitation) during a call; a 2026-07-28 client can only be
 * asked by an `input_required` result and answers on its retry. A gateway
 * between them holds the backend's request, asks the client, and hands the
 * answer back.
 */
export const inputToModernClient = check({
  id: 'cross-era.input-to-modern-client',
  title: "a 2025 backend's sampling/elicitation request reaches a 2026-07-28 client as input_required",
  suite: 'cross-era',
  specRef:
    'MCP 2026-07-28 basic/patterns/mrtr (input_required, inputResponses, requestState) bridged to ' +
    'MCP 2025-11-25 client/sampling and client/elicitation (server-to-client requests)',
  severity: 'must',
  // Alone: a 2025 stdio backend's request names no call, so a gateway serving several modern calls on one
  // backend connection can only guess whose it is; another check's call in flight would make that a coin toss.
  eras: ['modern'],
  expected:
    "calling a 2025-only backend's asking tool from a 2026-07-28 client that declared the capability: the " +
    "client is asked (input_required, answered on the retry) and the backend's result carries its answer",
  async run(ctx) {
    const logical = serversServing(ctx, ['legacy'])
      .map((s) => toolOf(s, (t) => t.ask !== undefined))
      .find((t) => t !== undefined);
    if (!logical)
      return skip('the fleet has no 2025-only server with an asking tool (ask: sampling|elicitation)');
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const client = await eraClient(ctx, 'modern');
    if (isVerdict(client)) return client;
    const call = await client.session.call(r.names[0]!, { prompt: 'from cross-era.input-to-modern-client' });
    const text = textOf(call.result);
    const evidence = { asked: client.asked, call: describeCall(call) };
    if (client.asked.length === 0)
      return fail(`the client was never asked; the call answered ${describeCall(call)}`, evidence);
    return call.outcome === 'ok' && text.includes(client.reply.text)
      ? pass(`asked (${client.asked.join(', ')}), and the backend answered with the client's reply`, evidence)
      : fail(`asked, but the backend did not get the reply: ${describeCall(call)}`, evidence);
  },
});
