import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The HTTP request is answered with a status code instead of MCP (e.g. 429 + Retry-After, 500, 503). */
export const httpStatus = defineFault({
  type: 'http-status',
  summary: 'answer the HTTP request with a status code (429 + Retry-After, 500, 503…)',
  transports: ['http', 'sse'],
  schema: z
    .object({
      type: z.literal('http-status'),
      ...selectorShape,
      status: z.number().int().min(400).max(599),
      retryAfter: z.number().int().min(0).optional().describe('seconds, sent as Retry-After'),
      body: z.string().default(''),
    })
    .strict(),
  onCall: (p) => ({
    kind: 'wire',
    wire: {
      kind: 'http-status',
      status: p.status,
      headers: (p.retryAfter === undefined ? {} : { 'retry-after': String(p.retryAfter) }) as Record<
        string,
        string
      >,
      body: p.body,
    },
  }),
});
