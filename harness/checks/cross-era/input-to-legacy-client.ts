import { describeCall } from '../gateway/resilience-util.js';
import { check, skip } from '../types.js';
import { askThrough, judgeAsked } from './ask.js';
import { erasSeen, isVerdict } from './util.js';

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
    const asked = await askThrough(ctx, 'legacy', ['modern', 'dual'], 'cross-era.input-to-legacy-client');
    if (isVerdict(asked)) return asked;
    const backendEras = await erasSeen(ctx, asked.server, asked.tool);
    // A backend that serves both eras may be reached in 2025-11-25: then it asked with a 2025 request
    // and nothing was bridged. Relaying that is a same-era question, not this check's.
    if (backendEras.length > 0 && !backendEras.includes('modern'))
      return skip(
        `the gateway reached ${asked.server} in 2025-11-25 (it serves both eras), so there was no ` +
          `input_required to bridge (the call answered ${describeCall(asked.call)})`,
      );
    return judgeAsked(asked, { backendEras });
  },
});
