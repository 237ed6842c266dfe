import type { Check } from '../types.js';
import { catalogueChecks } from './catalogue.js';
import { resilienceChecks } from './resilience.js';

/** The `gateway` suite, in the order the checks run. */
export const gatewayChecks: readonly Check[] = [...catalogueChecks, ...resilienceChecks];
