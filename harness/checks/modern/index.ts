import type { Check } from '../types.js';
import { cacheHints } from './cache-hints.js';
import { discover } from './discover.js';
import { headerMismatch } from './header-mismatch.js';
import { listen } from './listen.js';
import { logLevel } from './log-level.js';
import { mrtrRelayed } from './mrtr-relayed.js';
import { resultType } from './result-type.js';
import { stateless } from './stateless.js';

/** The `modern` suite: the 2026-07-28 wire (one file per check, listed in the order they run). */
export const modernChecks: readonly Check[] = [
  discover,
  headerMismatch,
  resultType,
  cacheHints,
  stateless,
  mrtrRelayed,
  logLevel,
  listen,
];
