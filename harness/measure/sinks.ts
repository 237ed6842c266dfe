import { SAMPLE_METRICS, type Sample } from '../schema/sample.js';
import { HistogramSet } from './histogram-set.js';
import type { Exemplar, PromSink } from './prom.js';

export interface SinksOptions {
  histograms?: HistogramSet;
  prom?: PromSink;
  /** Sees every sample after the sinks (live progress, a sample log…). */
  onSample?: (sample: Sample) => void;
}

export interface Sinks {
  histograms: HistogramSet;
  prom: PromSink | undefined;
  record(sample: Sample): void;
}

/**
 * Fan one sample out: always to the HDR set (every metric, keyed by its tags),
 * and to the prom registry when the metric is one of the harness's own families.
 * Prom picks its declared labels from the tags and ignores the rest.
 */
export function createSinks(options: SinksOptions = {}): Sinks {
  const histograms = options.histograms ?? new HistogramSet();
  const { prom, onSample } = options;

  const toProm = (s: Sample): void => {
    if (!prom) return;
    const exemplar: Exemplar | undefined = s.traceId ? { trace_id: s.traceId } : undefined;
    // Tags are open-ended; the prom label sets are fixed, so missing labels become ''.
    const tags = s.tags as Record<string, string>;
    switch (s.metric) {
      case SAMPLE_METRICS.stepDuration:
        prom.observeStep(
          {
            scenario: tags.scenario ?? '',
            step: tags.step ?? '',
            target: tags.target ?? '',
            pattern: tags.pattern ?? '',
            outcome: tags.outcome ?? '',
          },
          s.value,
          exemplar,
        );
        break;
      case SAMPLE_METRICS.downstreamDuration:
        prom.observeDownstream(
          { server: tags.server ?? '', tool: tags.tool ?? '', outcome: tags.outcome ?? '' },
          s.value,
          exemplar,
        );
        break;
      case SAMPLE_METRICS.overhead:
        prom.observeOverhead({ target: tags.target ?? '', step: tags.step ?? '' }, s.value, exemplar);
        break;
    }
  };

  return {
    histograms,
    prom,
    record(sample) {
      histograms.record(sample.metric, sample.tags, sample.value);
      toProm(sample);
      onSample?.(sample);
    },
  };
}
