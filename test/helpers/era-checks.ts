/**
 * The checks of the modern and cross-era suites by the era of the client they
 * ask for, written out (not read from the checks' own declarations, so a check
 * that changes its era fails the era tests).
 */

/** `only` selecting both suites. */
export const ERA_SUITES: readonly string[] = ['modern.', 'cross-era.'];

/** The checks that apply to a run speaking 2025-11-25 (`protocol: legacy`). */
export const LEGACY_ERA_CHECKS: readonly string[] = [
  'cross-era.legacy-client-modern-backend',
  'cross-era.input-to-legacy-client',
];

/** The checks that apply to a run speaking 2026-07-28 (`protocol: modern`); discover first. */
export const MODERN_ERA_CHECKS: readonly string[] = [
  'modern.discover',
  'modern.header-mismatch',
  'modern.result-type',
  'modern.cache-hints',
  'modern.stateless',
  'modern.mrtr-relayed',
  'modern.log-level',
  'modern.listen',
  'cross-era.modern-client-legacy-backend',
  'cross-era.input-to-modern-client',
];
