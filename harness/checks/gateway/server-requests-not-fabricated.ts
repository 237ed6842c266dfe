import { textOf } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { callEvidence, describeCall, fleetTool, resolveTools } from './resilience-util.js';

const MODEL = 'mcp-harness-client';
const REPLY = 'answer from the client';

/**
 * sampling/createMessage from a backend is the client's to answer (its model,
 * its user's approval): the gateway relays it to the client of the call, or
 * refuses it when that client cannot sample — it never answers it itself.
 */
export const serverRequestsNotFabricated = check({
  id: 'gateway.server-requests-not-fabricated',
  title: 'sampling requests are relayed to the client, never answered by the gateway',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 client/sampling (the client answers sampling/createMessage, with a human in the loop; ' +
    'a client without the sampling capability cannot be asked)',
  severity: 'must',
  expected:
    "a backend's sampling/createMessage reaches a client that declared sampling and its reply comes back; " +
    'for a client without sampling the call gets an error, not an answer',
  async run(ctx) {
    if (!ctx.endpoint) return skip('no single endpoint');
    const logical = fleetTool(ctx, (t) => t.ask === 'sampling');
    if (!logical) return skip('the fleet has no tool with ask: sampling');
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const [name] = r.names as [string];

    const capable = await ctx.open({
      label: 'sampling client',
      clientOptions: { capabilities: { sampling: {} } },
    });
    const asked: string[] = [];
    capable.connection.client.setRequestHandler('sampling/createMessage', async (req) => {
      asked.push(JSON.stringify(req.params.messages[0]?.content ?? null));
      return { model: MODEL, role: 'assistant', content: { type: 'text', text: REPLY } };
    });
    const relayed = await capable.call(name, { prompt: 'from gateway.server-requests-not-fabricated' });
    // The main session declares no sampling capability.
    const bare = ctx.session ?? (await ctx.open({ label: 'client without sampling' }));
    const refused = await bare.call(name, { prompt: 'nobody may answer this' });
    const evidence = {
      tool: logical,
      capableClient: { ...callEvidence(relayed), askedTimes: asked.length },
      clientWithoutSampling: callEvidence(refused),
    };

    const problems: string[] = [];
    const want = `${MODEL}: ${REPLY}`;
    const got = relayed.outcome === 'ok' ? textOf(relayed.result) : undefined;
    if (asked.length === 0)
      problems.push(
        `the sampling client was never asked; the call answered ${got !== undefined ? `'${got}'` : describeCall(relayed)}` +
          (got !== undefined && got !== want ? ' (someone else answered the sampling request)' : ''),
      );
    else if (got !== want)
      problems.push(
        `the client was asked, but the call answered ${got !== undefined ? `'${got}'` : describeCall(relayed)}`,
      );
    if (refused.outcome === 'ok')
      problems.push(`for a client without sampling the backend got an answer: '${textOf(refused.result)}'`);
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    return pass(
      `relayed to the sampling client (answer '${got}'); refused for the other: ${describeCall(refused)}`,
      evidence,
    );
  },
});
