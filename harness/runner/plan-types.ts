import type { FleetSpec } from '../schema/fleet.js';
import type { Expect, FaultStep } from '../schema/scenario.js';
import type { TargetSpec } from '../schema/target.js';
import type { Threshold } from '../schema/threshold.js';

/**
 * A plan is a scenario with everything resolved and validated: the fleet and
 * target loaded, every step named and given its deadline, thresholds parsed.
 * Executing a plan cannot fail on bad input, only on the SUT.
 */

interface PlannedBase {
  /** Unique within the scenario; iterations of a repeat get `[i]` appended in results. */
  name: string;
  /** Where the step sits in the file: `steps[2].parallel[0]`. */
  path: string;
  timeoutMs: number;
}

export interface PlannedCall extends PlannedBase {
  kind: 'call';
  tool: string;
  args: Record<string, unknown>;
  expect: Expect;
}
export interface PlannedParallel extends PlannedBase {
  kind: 'parallel';
  steps: PlannedStep[];
}
export interface PlannedFault extends PlannedBase {
  kind: 'fault';
  fault: FaultStep['fault'];
}
export interface PlannedMockAction extends PlannedBase {
  kind: 'restart' | 'kill';
  server: string;
}
export interface PlannedWait extends PlannedBase {
  kind: 'wait';
  ms: number;
}
export interface PlannedRepeat extends PlannedBase {
  kind: 'repeat';
  times: number;
  steps: PlannedStep[];
}
export type PlannedStep =
  | PlannedCall
  | PlannedParallel
  | PlannedFault
  | PlannedMockAction
  | PlannedWait
  | PlannedRepeat;

export interface Plan {
  name: string;
  description?: string;
  /** The scenario file, when planned from one. */
  file?: string;
  fleet?: FleetSpec;
  /** The fleet file (stdio mocks are started from it), when the fleet came from one. */
  fleetFile?: string;
  target: TargetSpec;
  targetName: string;
  steps: PlannedStep[];
  thresholds: Threshold[];
  vars: Record<string, unknown>;
  stepTimeoutMs: number;
  attribution: 'auto' | 'traceparent' | 'argument' | 'none';
  calibrate: boolean;
  /** Every logical tool a call step names, for the target's tool map. */
  tools: string[];
}
