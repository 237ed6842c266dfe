import type { Check } from '../types.js';
import { inputToLegacyClient } from './input-to-legacy-client.js';
import { inputToModernClient } from './input-to-modern-client.js';
import { legacyClientModernBackend } from './legacy-client-modern-backend.js';
import { modernClientLegacyBackend } from './modern-client-legacy-backend.js';

/**
 * The `cross-era` suite (gateways): the 2×2 matrix of client and backend
 * eras. A check for a 2025 client runs in a legacy run, one for a
 * 2026-07-28 client in a modern run (`check --protocol both` runs both).
 */
export const crossEraChecks: readonly Check[] = [
  legacyClientModernBackend,
  inputToLegacyClient,
  modernClientLegacyBackend,
  inputToModernClient,
];
