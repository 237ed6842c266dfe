import type { Check } from '../types.js';
import { unknownTool } from './unknown-tool.js';

/** Gateway checks on the tool catalogue, routing, results and errors. */
export const catalogueChecks: readonly Check[] = [unknownTool];
