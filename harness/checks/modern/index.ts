import type { Check } from '../types.js';
import { discover } from './discover.js';
import { headerMismatch } from './header-mismatch.js';
import { logLevel } from './log-level.js';
import { mrtrRelayed } from './mrtr-relayed.js';
import { resultType } from './result-type.js';

/** The `modern` suite: the 2026-07-28 wire (one file per check, listed in the order they run). */
export const modernChecks: readonly Check[] = [discover, headerMismatch, resultType, mrtrRelayed, logLevel];
