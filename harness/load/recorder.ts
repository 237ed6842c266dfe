import { LatencyHistogram } from '../measure/histogram.js';
import { HistogramSet } from '../measure/histogram-set.js';
import type { ErrorCounts } from '../schema/load.js';
import { type CallSample, emptyErrors, type TickMessage } from './task.js';
import type { RequestOutcome } from './wire.js';

export const RESPONSE_METRIC = 'mcp_harness_load_response_time';
export const SERVICE_METRIC = 'mcp_harness_load_service_time';
const MAX_SAMPLES = 20_000;

/**
 * One worker's measurements: the run's histograms (response and service
 * time in integer µs, per step for scenarios), counts and errors by kind,
 * and a per-second slice (counts + response-time histogram) flushed as ticks.
 */
export class Recorder {
  readonly histograms = new HistogramSet();
  scheduled = 0;
  sent = 0;
  completed = 0;
  dropped = 0;
  readonly errors = emptyErrors();
  readonly samples: CallSample[] = [];
  private second = this.fresh();
  private readonly secondHist = LatencyHistogram.create();
  // The run's untagged histograms and the per-step ones, looked up once (not by tag key per record),
  // and created on the first record as before.
  private response?: LatencyHistogram;
  private service?: LatencyHistogram;
  private readonly steps = new Map<string, LatencyHistogram>();

  constructor(
    private readonly worker: number,
    private readonly perStep: boolean,
  ) {}

  /** One whole iteration: response time from the intended start, service time from the actual send. */
  iteration(intendedUs: number, sentUs: number, doneUs: number, outcome: RequestOutcome): void {
    this.completed++;
    this.response ??= this.histograms.get(RESPONSE_METRIC, {}).histogram;
    this.service ??= this.histograms.get(SERVICE_METRIC, {}).histogram;
    this.response.record(doneUs - intendedUs);
    this.service.record(doneUs - sentUs);
    this.secondHist.record(doneUs - intendedUs);
    this.second.requests++;
    if (outcome.ok) this.second.ok++;
    else {
      countError(this.errors, outcome);
      countError(this.second.errors, outcome);
    }
  }

  /** One call of a scenario iteration (per-step service time). */
  step(step: string, sentUs: number, doneUs: number): void {
    if (!this.perStep) return;
    let h = this.steps.get(step);
    if (!h) {
      h = this.histograms.get(SERVICE_METRIC, { step }).histogram as LatencyHistogram;
      this.steps.set(step, h);
    }
    h.record(doneUs - sentUs);
  }

  sample(s: CallSample): void {
    if (this.samples.length < MAX_SAMPLES) this.samples.push(s);
  }

  drop(): void {
    this.dropped++;
    this.second.dropped++;
  }

  /** The tick for `second` (what completed since the last tick), and a fresh slice. */
  tick(second: number): TickMessage {
    const t: TickMessage = {
      type: 'tick',
      worker: this.worker,
      second,
      ...this.second,
      hdr: this.secondHist.encode(),
    };
    this.second = this.fresh();
    this.secondHist.reset();
    return t;
  }

  private fresh() {
    return { requests: 0, ok: 0, dropped: 0, errors: emptyErrors() };
  }
}

function countError(e: ErrorCounts, o: RequestOutcome): void {
  if (o.ok) return;
  e[o.kind]++;
  const key = o.detail ? `${o.kind}:${o.detail}` : o.kind;
  e.detail[key] = (e.detail[key] ?? 0) + 1;
}
