import type { Check } from '../types.js';

/** The `security` suite: one file per check, listed here in the order they run. */
export const securityChecks: readonly Check[] = [];
