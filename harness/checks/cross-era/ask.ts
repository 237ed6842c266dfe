import { textOf } from '../../runner/outcome.js';
import type { Era } from '../../schema/era.js';
import type { CheckContext } from '../context.js';
import { describeCall, resolveTools } from '../gateway/resilience-util.js';
import type { CallProbe } from '../session.js';
import { fail, pass, skip, type Verdict } from '../types.js';
import { type EraClient, eraClient, isVerdict, serversServing, toolOf } from './util.js';

/** One asking call made through the SUT: which fleet tool, the client that made it, and how it ended. */
export interface AskedCall {
  server: string;
  tool: string;
  client: EraClient;
  call: CallProbe;
}

/**
 * Call the first asking tool (`ask: sampling|elicitation`) of a fleet server
 * serving `served`, from a client of `era` that answers such questions. A
 * verdict instead when the fleet has no such tool (skip), the SUT does not
 * expose it, or will not speak `era` (blocked).
 */
export async function askThrough(
  ctx: CheckContext,
  era: Era,
  served: ReadonlyArray<'legacy' | 'modern' | 'dual'>,
  label: string,
): Promise<AskedCall | Verdict> {
  const logical = serversServing(ctx, served)
    .map((s) => toolOf(s, (t) => t.ask !== undefined))
    .find((t) => t !== undefined);
  if (!logical)
    return skip(
      `the fleet has no ${served.join('/')} server with an asking tool (ask: sampling|elicitation)`,
    );
  const r = await resolveTools(ctx, [logical]);
  if (!r.names) return r.verdict;
  const client = await eraClient(ctx, era);
  if (isVerdict(client)) return client;
  const call = await client.session.call(r.names[0]!, { prompt: `from ${label}` });
  const [server, tool] = logical.split('.') as [string, string];
  return { server, tool, client, call };
}

/** Pass when the client was asked and the backend's result carries the client's reply. */
export function judgeAsked({ client, call }: AskedCall, evidence: Record<string, unknown> = {}): Verdict {
  const all = { asked: client.asked, call: describeCall(call), ...evidence };
  if (client.asked.length === 0)
    return fail(`the client was never asked; the call answered ${describeCall(call)}`, all);
  return call.outcome === 'ok' && textOf(call.result).includes(client.reply.text)
    ? pass(`asked (${client.asked.join(', ')}), and the backend answered with the client's reply`, all)
    : fail(`asked, but the backend did not get the reply: ${describeCall(call)}`, all);
}
