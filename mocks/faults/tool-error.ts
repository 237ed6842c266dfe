import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The tool answers with `isError: true` — a tool-level failure, as the spec wants for execution errors. */
export const toolError = defineFault({
  type: 'tool-error',
  summary: 'answer with isError:true, a text and an optional structured payload',
  schema: z
    .object({
      type: z.literal('tool-error'),
      ...selectorShape,
      message: z.string().default('injected tool error'),
      structuredContent: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
  onCall: (p, _rng, call) => ({
    kind: 'result',
    result: {
      content: [{ type: 'text', text: `${p.message} (${call.mock}.${call.tool ?? call.method})` }],
      ...(p.structuredContent ? { structuredContent: p.structuredContent } : {}),
      isError: true,
    },
  }),
});
