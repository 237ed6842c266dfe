import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The request is never answered (until cancelled or the mock stops); other requests keep working. */
export const hang = defineFault({
  type: 'hang',
  summary: 'never answer the request',
  schema: z.object({ type: z.literal('hang'), ...selectorShape }).strict(),
  onCall: () => ({ kind: 'hang' }),
});
