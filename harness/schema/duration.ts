import { z } from 'zod';
import { type DurationUnit, UNIT_US } from './threshold.js';

/**
 * A duration in a config file: a number of milliseconds, or a string with a
 * unit (`250ms`, `1.5s`, `2m`, `500us`). Parsed to integer milliseconds, except
 * that sub-millisecond strings keep their fraction (`500us` → 0.5).
 */
const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)\s*$/;

export function parseDurationMs(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  return (Number(m[1]) * UNIT_US[m[2] as DurationUnit]) / 1000;
}

export const DurationMsSchema = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseDurationMs(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration such as 250ms, 1.5s or a number of milliseconds, got '${v}'`,
    });
    return z.NEVER;
  }
  return ms;
});
