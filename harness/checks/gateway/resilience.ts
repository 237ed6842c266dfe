import type { Check } from '../types.js';
import { abandonedSessionsReleased } from './abandoned-sessions-released.js';
import { backendDownAtStart } from './backend-down-at-start.js';
import { cancellationRelayed } from './cancellation-relayed.js';
import { concurrentCallsIsolated } from './concurrent-calls-isolated.js';
import { crashedBackendIsolated } from './crashed-backend-isolated.js';
import { failoverToReplica } from './failover-to-replica.js';
import { hungBackendBounded } from './hung-backend-bounded.js';
import { listChangedRelayed } from './list-changed-relayed.js';
import { logsRelayed } from './logs-relayed.js';
import { malformedBackendSurvived } from './malformed-backend-survived.js';
import { outageVisible } from './outage-visible.js';
import { progressOrdered } from './progress-ordered.js';
import { progressRelayed } from './progress-relayed.js';
import { recoveryAfterRestart } from './recovery-after-restart.js';
import { reinitAfter404 } from './reinit-after-404.js';
import { serverRequestsNotFabricated } from './server-requests-not-fabricated.js';
import { sessionsIsolated } from './sessions-isolated.js';
import { sessionsReleased } from './sessions-released.js';

/** Gateway checks on timeouts, failures, recovery, notifications and sessions. */
export const resilienceChecks: readonly Check[] = [
  // failures and recovery
  hungBackendBounded,
  crashedBackendIsolated,
  malformedBackendSurvived,
  recoveryAfterRestart,
  outageVisible,
  reinitAfter404,
  failoverToReplica,
  // notifications and server-to-client requests
  listChangedRelayed,
  progressRelayed,
  progressOrdered,
  cancellationRelayed,
  logsRelayed,
  serverRequestsNotFabricated,
  // concurrency and sessions
  concurrentCallsIsolated,
  sessionsIsolated,
  sessionsReleased,
  abandonedSessionsReleased,
  // last: relaunches the SUT
  backendDownAtStart,
];
