import type { Check } from '../types.js';

/** The `chain` suite: one file per check, listed here in the order they run. */
export const chainChecks: readonly Check[] = [];
