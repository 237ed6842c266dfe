import type { Check } from '../types.js';

/** Gateway checks on timeouts, failures, recovery, notifications and sessions. */
export const resilienceChecks: readonly Check[] = [];
