import { askThrough, judgeAsked } from '../cross-era/ask.js';
import { isVerdict } from '../cross-era/util.js';
import { check } from '../types.js';

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
    const asked = await askThrough(ctx, 'modern', ['modern', 'dual'], 'modern.mrtr-relayed');
    return isVerdict(asked) ? asked : judgeAsked(asked);
  },
});
