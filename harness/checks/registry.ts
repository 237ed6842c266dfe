import { chainChecks } from './chain/index.js';
import { crossEraChecks } from './cross-era/index.js';
import { gatewayChecks } from './gateway/index.js';
import { httpChecks } from './http/index.js';
import { meshChecks } from './mesh/index.js';
import { modernChecks } from './modern/index.js';
import { securityChecks } from './security/index.js';
import type { Check, SuiteName } from './types.js';

/** Every check, by suite. A new check is one file plus one line in its suite's index.ts. */
export const SUITE_CHECKS: Readonly<Record<SuiteName, readonly Check[]>> = {
  gateway: gatewayChecks,
  http: httpChecks,
  security: securityChecks,
  chain: chainChecks,
  mesh: meshChecks,
  modern: modernChecks,
  'cross-era': crossEraChecks,
};

export function allChecks(): Check[] {
  return Object.values(SUITE_CHECKS).flatMap((c) => [...c]);
}
