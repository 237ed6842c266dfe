import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The result carries an extra text block of the given size (tests size limits along the chain). */
export const largePayload = defineFault({
  type: 'large-payload',
  summary: 'append a large text block to the result',
  schema: z
    .object({
      type: z.literal('large-payload'),
      ...selectorShape,
      bytes: z
        .number()
        .int()
        .min(1)
        .max(256 * 1024 * 1024),
    })
    .strict(),
  onCall: (p) => ({
    kind: 'transform',
    apply: (result) => ({
      ...result,
      content: [...result.content, { type: 'text', text: 'x'.repeat(p.bytes) }],
    }),
  }),
});
