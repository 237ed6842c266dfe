import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The answer's bytes are dribbled out in small chunks with a pause between them (SSE events, JSON, stdio lines). */
export const slowStream = defineFault({
  type: 'slow-stream',
  summary: 'dribble the response bytes in small chunks',
  schema: z
    .object({
      type: z.literal('slow-stream'),
      ...selectorShape,
      chunkBytes: z.number().int().min(1).default(8),
      intervalMs: z.number().min(0).default(20),
    })
    .strict(),
  onCall: (p) => ({
    kind: 'wire',
    wire: { kind: 'slow', chunkBytes: p.chunkBytes, intervalMs: p.intervalMs },
  }),
});
