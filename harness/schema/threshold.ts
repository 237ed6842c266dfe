import { z } from 'zod';

/**
 * k6's threshold syntax: `thresholds: { 'step_duration{step:fetch}': ['p(95)<50ms'] }`.
 * Grammar: `<aggregation> <op> <value>` with optional spaces between tokens.
 * - aggregation: `p(N)` (0 ≤ N ≤ 100, decimals allowed), `avg`, `min`, `max`, `med`, `count`, `rate`
 * - op: `<` `<=` `>` `>=` `==` `!=`
 * - value: a number; duration aggregations (p, avg, min, max, med) take an optional unit
 *   `us`/`µs`/`ms`/`s`/`m`, and a bare number means milliseconds, as in k6. `count` and `rate`
 *   take plain numbers: a unit there is a parse error.
 * Metric kinds decide which aggregations apply (see `checkAggregation`).
 */
export const AGGREGATIONS = ['p', 'avg', 'min', 'max', 'med', 'count', 'rate'] as const;
export const AggregationSchema = z.enum(AGGREGATIONS);
export type Aggregation = z.infer<typeof AggregationSchema>;

export const ThresholdOpSchema = z.enum(['<', '<=', '>', '>=', '==', '!=']);
export type ThresholdOp = z.infer<typeof ThresholdOpSchema>;

export const DurationUnitSchema = z.enum(['us', 'µs', 'ms', 's', 'm']);
export type DurationUnit = z.infer<typeof DurationUnitSchema>;
export const UNIT_US: Record<DurationUnit, number> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000 };

/** Aggregations over durations: their bound is compared in µs. */
export const DURATION_AGGREGATIONS: readonly Aggregation[] = ['p', 'avg', 'min', 'max', 'med'];

/** A parsed threshold expression. */
export const ThresholdExpressionSchema = z.object({
  source: z.string(),
  aggregation: AggregationSchema,
  /** N of `p(N)`; only for aggregation `p`. */
  percentile: z.number().min(0).max(100).optional(),
  op: ThresholdOpSchema,
  /** The number as written. */
  value: z.number(),
  unit: DurationUnitSchema.optional(),
  /** What observed values are compared against: µs for duration aggregations, `value` otherwise. */
  bound: z.number(),
});
export type ThresholdExpression = z.infer<typeof ThresholdExpressionSchema>;

/** A parsed metric selector: `step_duration{step:fetch,target:gw}`. Tags filter by subset. */
export const MetricSelectorSchema = z.object({
  source: z.string(),
  metric: z.string(),
  tags: z.record(z.string(), z.string()),
});
export type MetricSelector = z.infer<typeof MetricSelectorSchema>;

export const ThresholdSchema = z.object({
  selector: MetricSelectorSchema,
  expression: ThresholdExpressionSchema,
});
export type Threshold = z.infer<typeof ThresholdSchema>;

/**
 * What a metric measures. `duration` (a latency histogram): p, avg, min, max, med, count.
 * `rate` ({passes, fails}, passes = non-zero samples as in k6): rate, count. `counter`: count.
 */
export const MetricKindSchema = z.enum(['duration', 'rate', 'counter']);
export type MetricKind = z.infer<typeof MetricKindSchema>;

const ALLOWED: Record<MetricKind, readonly Aggregation[]> = {
  duration: [...DURATION_AGGREGATIONS, 'count'],
  rate: ['rate', 'count'],
  counter: ['count'],
};

const DURATION_NAME = /(^|_)(duration|latency|overhead|time)(_seconds|_ms|_us)?$/;

/**
 * The kind of a metric: the declared one, else `duration` when the name says so
 * (ends in duration, latency, overhead or time, optionally with a unit suffix), else unknown.
 * Unknown metrics accept every aggregation here and are checked against their data when evaluated.
 */
export function metricKind(
  metric: string,
  declared: Readonly<Record<string, MetricKind>> = {},
): MetricKind | undefined {
  return declared[metric] ?? (DURATION_NAME.test(metric) ? 'duration' : undefined);
}

/** Why `aggregation` cannot apply to a metric of `kind`, or undefined when it can. */
export function checkAggregation(
  metric: string,
  kind: MetricKind | undefined,
  aggregation: Aggregation,
): string | undefined {
  if (!kind || ALLOWED[kind].includes(aggregation)) return undefined;
  return `${aggregation === 'p' ? 'p(N)' : aggregation} does not apply to ${kind} metric '${metric}', expected one of ${ALLOWED[kind].map((a) => (a === 'p' ? 'p(N)' : a)).join(', ')}`;
}

/** A syntax error in a threshold expression or metric selector, with a 1-based column. */
export class ThresholdParseError extends Error {
  constructor(
    readonly source: string,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${source === '' ? '(empty)' : source}: ${detail}`);
    this.name = 'ThresholdParseError';
  }
}

/** A cursor over one source string; every failure names the column and what was expected. */
class Cursor {
  pos = 0;
  constructor(readonly src: string) {}
  skipSpaces(): void {
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') this.pos++;
  }
  get done(): boolean {
    return this.pos >= this.src.length;
  }
  /** Consume `re` (sticky) at the cursor, returning the match or undefined. */
  take(re: RegExp): string | undefined {
    const sticky = new RegExp(re.source, 'y');
    sticky.lastIndex = this.pos;
    const m = sticky.exec(this.src);
    if (!m || m[0] === '') return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  fail(expected: string, at = this.pos, token?: string): never {
    const found = token ?? this.tokenAt(at);
    const what = found === undefined ? 'unexpected end of input' : `unexpected '${found}'`;
    throw new ThresholdParseError(this.src, at + 1, `${what} at column ${at + 1}, expected ${expected}`);
  }
  private tokenAt(at: number): string | undefined {
    if (at >= this.src.length) return undefined;
    const word = /[A-Za-zµ]+|\d*\.?\d+/y;
    word.lastIndex = at;
    return word.exec(this.src)?.[0] ?? this.src[at];
  }
}

const NUMBER = /\d+(?:\.\d+)?|\.\d+/;
const EXPECT_AGG = 'an aggregation (p(N), avg, min, max, med, count, rate)';
const EXPECT_OP = 'an operator (<, <=, >, >=, ==, !=)';
const EXPECT_UNIT = 'a unit (us, µs, ms, s, m) or end of expression';

export function parseThresholdExpression(source: string): ThresholdExpression {
  const c: Cursor = new Cursor(source);
  c.skipSpaces();
  const aggStart = c.pos;
  const word = c.take(/[A-Za-zµ]+/);
  if (!word || !(AGGREGATIONS as readonly string[]).includes(word)) c.fail(EXPECT_AGG, aggStart, word);
  const aggregation = word as Aggregation;
  let percentile: number | undefined;
  if (aggregation === 'p') {
    c.skipSpaces();
    if (!c.take(/\(/)) c.fail("'('");
    c.skipSpaces();
    const at = c.pos;
    const n = c.take(NUMBER);
    if (n === undefined) c.fail('a percentile from 0 to 100');
    percentile = Number(n);
    if (percentile > 100) c.fail('a percentile from 0 to 100', at, n);
    c.skipSpaces();
    if (!c.take(/\)/)) c.fail("')'");
  }
  c.skipSpaces();
  const op = c.take(/<=|>=|==|!=|<|>/) as ThresholdOp | undefined;
  if (!op) c.fail(EXPECT_OP);
  c.skipSpaces();
  const num = c.take(NUMBER);
  if (num === undefined) c.fail('a number');
  const value = Number(num);
  const isDuration = DURATION_AGGREGATIONS.includes(aggregation);
  c.skipSpaces();
  const unitStart = c.pos;
  const unitWord = c.take(/[A-Za-zµ]+/);
  let unit: DurationUnit | undefined;
  if (unitWord !== undefined) {
    if (!isDuration)
      c.fail(`a plain number or end of expression (${aggregation} is not a duration)`, unitStart, unitWord);
    if (!DurationUnitSchema.safeParse(unitWord).success) c.fail(EXPECT_UNIT, unitStart, unitWord);
    unit = unitWord as DurationUnit;
    c.skipSpaces();
  }
  if (!c.done) c.fail(isDuration && !unit ? EXPECT_UNIT : 'end of expression');
  // Round away float noise (0.95 * 1000 is 949.9999…) while keeping sub-µs bounds.
  const bound = isDuration ? Math.round(value * UNIT_US[unit ?? 'ms'] * 1e6) / 1e6 : value;
  return {
    source,
    aggregation,
    ...(percentile !== undefined && { percentile }),
    op,
    value,
    ...(unit && { unit }),
    bound,
  };
}

export function parseMetricSelector(source: string): MetricSelector {
  const c: Cursor = new Cursor(source);
  const metric = c.take(/[A-Za-z_][A-Za-z0-9_.]*/);
  if (!metric) c.fail('a metric name');
  const tags: Record<string, string> = {};
  if (c.take(/\{/)) {
    do {
      c.skipSpaces();
      const keyAt = c.pos;
      const key = c.take(/[A-Za-z_][A-Za-z0-9_.-]*/);
      if (!key) c.fail('a tag name');
      if (key in tags) c.fail('a tag not already in this selector', keyAt, key);
      c.skipSpaces();
      if (!c.take(/:/)) c.fail("':'");
      c.skipSpaces();
      const val = c.take(/[^,}]+/)?.trim();
      if (!val) c.fail('a tag value');
      tags[key] = val;
    } while (c.take(/,/));
    if (!c.take(/\}/)) c.fail("',' or '}'");
  }
  if (!c.done) c.fail("'{' or end of selector");
  return { source, metric, tags };
}

/** Parse one threshold; throws ThresholdParseError, or Error when the aggregation does not fit the metric. */
export function parseThreshold(
  selector: string,
  expression: string,
  kinds: Readonly<Record<string, MetricKind>> = {},
): Threshold {
  const sel = parseMetricSelector(selector);
  const expr = parseThresholdExpression(expression);
  const problem = checkAggregation(sel.metric, metricKind(sel.metric, kinds), expr.aggregation);
  if (problem) throw new Error(`${expression}: ${problem}`);
  return { selector: sel, expression: expr };
}

/**
 * Threshold config as written in a scenario: metric selector → expression(s).
 * Every selector and expression is parsed, so all syntax errors surface at load time with a path;
 * `rate` on a metric named like a duration is rejected here too.
 */
export const ThresholdConfigSchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .superRefine(
    (config, ctx) => {
      for (const [selector, exprs] of Object.entries(config)) {
        // Values of the wrong type are already reported by the record schema; skip them.
        const list: unknown[] = typeof exprs === 'string' ? [exprs] : Array.isArray(exprs) ? exprs : [];
        list.forEach((expression, i) => {
          if (typeof expression !== 'string') return;
          try {
            parseThreshold(selector, expression);
          } catch (e) {
            const path = typeof exprs === 'string' ? [selector] : [selector, i];
            ctx.addIssue({ code: 'custom', path, message: (e as Error).message });
          }
        });
      }
    },
    // Run even when some value has the wrong type, so every problem is reported at once.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type ThresholdConfig = z.infer<typeof ThresholdConfigSchema>;
