import type { Check } from '../types.js';

/** The `http` suite: one file per check, listed here in the order they run. */
export const httpChecks: readonly Check[] = [];
