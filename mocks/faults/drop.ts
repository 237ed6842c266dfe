import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The connection is cut mid-response: some bytes of the answer go out, then the socket/pipe is destroyed. */
export const drop = defineFault({
  type: 'drop',
  summary: 'destroy the connection mid-response',
  schema: z
    .object({
      type: z.literal('drop'),
      ...selectorShape,
      afterBytes: z.number().int().min(0).default(10).describe('bytes of the response sent before the cut'),
    })
    .strict(),
  onCall: (p) => ({ kind: 'wire', wire: { kind: 'drop', afterBytes: p.afterBytes } }),
});
