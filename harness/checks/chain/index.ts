import type { Check } from '../types.js';
import { argsExact } from './args-exact.js';
import { concurrentIsolated } from './concurrent-isolated.js';
import { fanoutOverlaps } from './fanout-overlaps.js';
import { hungStepBounded } from './hung-step-bounded.js';
import { noInternalsLeak } from './no-internals-leak.js';
import { partialFailureReported } from './partial-failure-reported.js';
import { shortCircuit } from './short-circuit.js';
import { stepsInOrder } from './steps-in-order.js';
import { structuredError } from './structured-error.js';
import { traceContinues } from './trace-continues.js';

/** The `chain` suite: one file per check, listed here in the order they run. */
export const chainChecks: readonly Check[] = [
  stepsInOrder,
  fanoutOverlaps,
  partialFailureReported,
  shortCircuit,
  structuredError,
  hungStepBounded,
  concurrentIsolated,
  traceContinues,
  argsExact,
  noInternalsLeak,
];
