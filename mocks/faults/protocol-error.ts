import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The request fails with a JSON-RPC error object of the chosen code, message and data. */
export const protocolError = defineFault({
  type: 'protocol-error',
  summary: 'answer with a JSON-RPC error (code, message, data)',
  schema: z
    .object({
      type: z.literal('protocol-error'),
      ...selectorShape,
      code: z.number().int().default(-32603),
      message: z.string().default('injected protocol error'),
      data: z.unknown().optional(),
    })
    .strict(),
  onCall: (p) => ({ kind: 'error', code: p.code, message: p.message, data: p.data }),
});
