import { textOf } from '../../runner/outcome.js';
import { eraClient, isVerdict, serversServing, toolOf } from '../cross-era/util.js';
import { describeCall, resolveTools } from '../gateway/resilience-util.js';
import { check, fail, pass, skip } from '../types.js';

/**
 * Multi-round-trip requests through a gateway: a 2026-07-28 backend answers
 * a call with `input_required` (its questions and an opaque requestState);
 * the gateway must pass it to the client and pass the client's retry
 * (inputResponses, the same requestState) back to the same backend. One
 * lost on the way and the backend never gets its answer.
 */
export const mrtrRelayed = check({
  id: 'modern.mrtr-relayed',
  title: "a 2026-07-28 backend's input_required and the client's retry pass through unchanged",
  suite: 'modern',
  specRef:
    'MCP 2026-07-28 basic/patterns/mrtr (input_required, inputResponses, requestState echoed verbatim)',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected:
    "calling a 2026-07-28 backend's asking tool from a 2026-07-28 client: the client is asked and the " +
    "backend's result carries its answer (the retry reached the backend with its requestState)",
  async run(ctx) {
    const logical = serversServing(ctx, ['modern', 'dual'])
      .map((s) => toolOf(s, (t) => t.ask !== undefined))
      .find((t) => t !== undefined);
    if (!logical)
      return skip('the fleet has no 2026-07-28 server with an asking tool (ask: sampling|elicitation)');
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const client = await eraClient(ctx, 'modern');
    if (isVerdict(client)) return client;
    const call = await client.session.call(r.names[0]!, { prompt: 'from modern.mrtr-relayed' });
    const evidence = { asked: client.asked, call: describeCall(call) };
    if (client.asked.length === 0)
      return fail(`the client was never asked; the call answered ${describeCall(call)}`, evidence);
    return call.outcome === 'ok' && textOf(call.result).includes(client.reply.text)
      ? pass(`asked (${client.asked.join(', ')}); the backend answered with the client's reply`, evidence)
      : fail(`asked, but the backend did not get the reply: ${describeCall(call)}`, evidence);
  },
});
