import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The handler throws an ordinary exception: whatever the SDK makes of an unexpected crash in a handler. */
export const throwFault = defineFault({
  type: 'throw',
  summary: 'the handler throws an exception',
  schema: z
    .object({ type: z.literal('throw'), ...selectorShape, message: z.string().default('injected exception') })
    .strict(),
  onCall: (p) => ({ kind: 'throw', message: p.message }),
});
