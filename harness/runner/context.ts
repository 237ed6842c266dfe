import type { Fleet } from '../../mocks/server/fleet.js';
import type { McpTracing } from '../measure/otel.js';
import type { Sinks } from '../measure/sinks.js';
import type { StepOutcome, StepResult } from '../schema/result.js';
import type { Target } from '../target/target.js';
import type { Propagation } from './attribution.js';
import type { StepValue } from './outcome.js';
import type { Plan } from './plan-types.js';

/** Everything executing steps needs; one per scenario run. */
export interface ExecContext {
  plan: Plan;
  target: Target;
  fleet: Fleet | undefined;
  tracing: McpTracing;
  sinks: Sinks;
  /** Unique per run; part of correlation values. */
  runId: string;
  /** Results later steps reference as `steps.NAME` (the latest iteration's, inside a repeat). */
  values: Map<string, StepValue>;
  /** Step results in completion order. */
  results: StepResult[];
  /** Every call made, for attribution after the steps. */
  calls: CallTrace[];
  /** Every call step's result (made or not), with its planned name: the rates' samples. */
  callResults: Array<{ step: string; tool: string; result: StepResult }>;
  /** Sees each step result as it completes (live progress). */
  onStep?: (result: StepResult) => void;
  /** Set by attribution for gateway and chain targets. */
  propagation?: Propagation;
}

/** One call as the harness made it: what attribution matches against the mocks' call logs. */
export interface CallTrace {
  result: StepResult;
  /** The planned step's name (iterations share it): the `step` tag of samples. */
  step: string;
  tool: string;
  /** The name the SUT exposes for it. */
  exposed: string | undefined;
  /** Arguments as sent (with the correlation value, when one was added). */
  args: Record<string, unknown>;
  traceId: string;
  correlationId?: string;
  t0: number;
  t1: number;
  outcome: StepOutcome;
  /** Ran inside a parallel group: time-window matching is ambiguous there. */
  concurrent: boolean;
  servedBy?: string;
}

/** Per-step execution state passed down the tree. */
export interface StepScope {
  signal: AbortSignal;
  iteration?: number;
  /** Suffix for results of repeated steps: `[3]`. */
  suffix: string;
  concurrent: boolean;
}
