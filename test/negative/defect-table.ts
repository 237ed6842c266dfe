import type { DefectName } from '../../mocks/patterns/gateway/defects.js';

/**
 * What each reference-gateway defect does to the gateway, http and security
 * suites: the checks that do not pass, with their status. Everything not
 * listed must pass (apart from CORRECT_NOT_PASSING). A MUST that breaks
 * fails, a SHOULD warns; a check that needs what the defect took away is
 * blocked — and says by what.
 */

export const SUITES = ['gateway', 'http', 'security'];

type Row = Readonly<Record<string, 'fail' | 'warn' | 'skip' | 'blocked'>>;

/** The correct gateway: only what the target cannot be asked. */
export const CORRECT_NOT_PASSING: Row = {
  'gateway.failover-to-replica': 'skip',
};

export const DEFECT_TABLE: Readonly<Partial<Record<DefectName, Row>>> = {
};
