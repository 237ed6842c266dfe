import { textOf } from '../../runner/outcome.js';
import type { CallProbe, Session } from '../session.js';
import { check, fail, pass, skip } from '../types.js';
import { callEvidence, describeCall, fleetTool, resolveTools } from './resilience-util.js';

/** What the harness's sampling client answers: a model and text no one else can produce. */
const MODEL = 'mcp-harness-client';
const REPLY = `answer from the client ${Math.random().toString(36).slice(2, 10)}`;

interface Asked {
  call: CallProbe;
  /** How many sampling requests the harness's client received during the call. */
  clientAsked: number;
}

/** Call the sampling tool on `session`, counting the sampling requests the client receives meanwhile. */
async function ask(session: Session, name: string, seen: () => number): Promise<Asked> {
  const before = seen();
  const call = await session.call(name, { prompt: 'from gateway.server-requests-not-fabricated' });
  return { call, clientAsked: seen() - before };
}

/** How the fleet's sampling tool begins the text of a refusal (mocks/server/catalog.ts). */
const REFUSED = 'failed: ';

/**
 * Why an answer is fabricated, or undefined. The fleet's sampling tool
 * answers only with the reply to its sampling request (a refusal makes it an
 * error): a plain answer while the client was never asked came from someone
 * else.
 */
function fabricated(a: Asked): string | undefined {
  if (a.clientAsked > 0 || a.call.outcome !== 'ok') return undefined;
  // The backend's own refusal ('failed: …') with its isError lost is gateway.iserror-preserved's finding.
  if (textOf(a.call.result).startsWith(REFUSED)) return undefined;
  return `the backend's sampling request got an answer the client never gave: '${textOf(a.call.result)}'`;
}

/** How a call went, in words. */
const story = (a: Asked): string =>
  a.clientAsked > 0
    ? `relayed to the client, the call answered ${describeCall(a.call)}`
    : `refused: ${describeCall(a.call)}`;

/**
 * sampling/createMessage from a backend is the client's to answer (its model,
 * its user's approval). A gateway relays it to the client of the call, or
 * refuses it (an error to the backend, or no sampling capability offered
 * downstream); it never answers it itself.
 */
export const serverRequestsNotFabricated = check({
  id: 'gateway.server-requests-not-fabricated',
  title: 'sampling requests are relayed to the client or refused, never answered by the gateway',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 client/sampling (the client answers sampling/createMessage, with a human in the loop; ' +
    'a client without the sampling capability cannot be asked)',
  severity: 'must',
  concurrent: true,
  expected:
    "a backend's sampling/createMessage is relayed to a client that declared sampling (and its reply comes " +
    'back unchanged) or refused; for a client without sampling it is refused. Refusing is allowed; only an ' +
    'answer the client never gave fails',
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
    let asked = 0;
    capable.connection.client.setRequestHandler('sampling/createMessage', async () => {
      asked++;
      return { model: MODEL, role: 'assistant', content: { type: 'text', text: REPLY } };
    });
    const withSampling = await ask(capable, name, () => asked);
    // The main session declares no sampling capability.
    const bare = ctx.session ?? (await ctx.open({ label: 'client without sampling' }));
    const without = await ask(bare, name, () => 0);
    const evidence = {
      tool: logical,
      capableClient: { ...callEvidence(withSampling.call), clientAsked: withSampling.clientAsked },
      clientWithoutSampling: callEvidence(without.call),
    };

    const problems: string[] = [];
    const want = `${MODEL}: ${REPLY}`;
    const madeUp = fabricated(withSampling);
    if (madeUp) problems.push(`for the sampling client, ${madeUp}`);
    else if (withSampling.clientAsked > 0 && textOf(withSampling.call.result) !== want)
      problems.push(
        `the client was asked and answered '${want}', but the call answered ${describeCall(withSampling.call)}`,
      );
    const madeUpBare = fabricated(without);
    if (madeUpBare) problems.push(`for a client without sampling, ${madeUpBare}`);
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    return pass(
      `sampling client: ${story(withSampling)}; client without sampling: ${story(without)}`,
      evidence,
    );
  },
});
