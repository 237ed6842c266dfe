import { check } from '../types.js';
import { askThrough, judgeAsked } from './ask.js';
import { isVerdict } from './util.js';

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
    const asked = await askThrough(ctx, 'modern', ['legacy'], 'cross-era.input-to-modern-client');
    return isVerdict(asked) ? asked : judgeAsked(asked);
  },
});
