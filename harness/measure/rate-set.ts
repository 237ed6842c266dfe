import { type Tags, tagKey, tagsMatch } from './histogram-set.js';
import type { RateData } from './threshold.js';

/** k6-style Rate metrics keyed by metric + tag set: each sample is a pass (true) or a fail. */
export class RateSet {
  private readonly byKey = new Map<string, { metric: string; tags: Tags; data: RateData }>();

  record(metric: string, tags: Tags, value: boolean): void {
    const key = `${metric}{${tagKey(tags)}}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { metric, tags: { ...tags }, data: { passes: 0, fails: 0 } };
      this.byKey.set(key, entry);
    }
    if (value) entry.data.passes++;
    else entry.data.fails++;
  }

  /** Sum of every entry of `metric` whose tags include `filter`; undefined when none match. */
  select(metric: string, filter: Tags = {}): RateData | undefined {
    let out: RateData | undefined;
    for (const e of this.byKey.values()) {
      if (e.metric !== metric || !tagsMatch(e.tags, filter)) continue;
      out ??= { passes: 0, fails: 0 };
      out.passes += e.data.passes;
      out.fails += e.data.fails;
    }
    return out;
  }
}
