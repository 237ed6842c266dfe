import { z } from 'zod';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

/** The mock dies on the call: a stdio mock process exits, an HTTP mock closes its server and sockets. */
export const crash = defineFault({
  type: 'crash',
  summary: 'the mock process exits / the HTTP server closes',
  schema: z.object({ type: z.literal('crash'), ...selectorShape }).strict(),
  onCall: () => ({ kind: 'crash' }),
});
