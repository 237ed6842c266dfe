import type { Check } from '../types.js';
import { credentialsNotForwarded } from './credentials.js';
import { noShadowing } from './no-shadowing.js';
import { noStackTraces } from './no-stack-traces.js';
import { oversizedRequest } from './oversized-request.js';

/** The `security` suite: one file per check, listed here in the order they run. */
export const securityChecks: readonly Check[] = [
  credentialsNotForwarded,
  noShadowing,
  noStackTraces,
  oversizedRequest,
];
