import type { Check } from '../types.js';

/** The `mesh` suite: one file per check, listed here in the order they run. */
export const meshChecks: readonly Check[] = [];
