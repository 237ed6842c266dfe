import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

const SHAPES = {
  'truncated-json': '{"jsonrpc":"2.0","id":',
  garbage: '\u0000\u00ff<html>not json</html>\u0007',
  'wrong-jsonrpc': '{"jsonrpc":"1.0","result":{}}',
  'not-an-object': '[1,2,3]',
} as const;

/** The answer is replaced by bytes that are not a valid JSON-RPC message. */
export const malformed = defineFault({
  type: 'malformed',
  summary: 'send invalid JSON / garbage bytes instead of the answer',
  schema: z
    .object({
      type: z.literal('malformed'),
      ...selectorShape,
      shape: z.enum(Object.keys(SHAPES) as [keyof typeof SHAPES]).default('truncated-json'),
      bytes: z.string().optional().describe('exact bytes to send instead of a built-in shape'),
    })
    .strict(),
  onCall: (p) => ({ kind: 'wire', wire: { kind: 'malformed', bytes: p.bytes ?? SHAPES[p.shape] } }),
});
