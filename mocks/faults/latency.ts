import { z } from 'zod';
import type { Rng } from './random.js';
import { selectorShape } from './selector.js';
import { defineFault } from './types.js';

const distribution = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), ms: z.number().min(0) }).strict(),
  z.object({ kind: z.literal('uniform'), minMs: z.number().min(0), maxMs: z.number().min(0) }).strict(),
  z.object({ kind: z.literal('normal'), meanMs: z.number().min(0), stddevMs: z.number().min(0) }).strict(),
  z
    .object({
      kind: z.literal('lognormal'),
      medianMs: z.number().positive(),
      sigma: z.number().min(0).describe('standard deviation of the underlying normal'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('pareto'),
      scaleMs: z.number().positive().describe('minimum value x_m'),
      shape: z.number().positive().describe('tail index alpha; smaller is heavier'),
    })
    .strict(),
]);

export type LatencyDistribution = z.output<typeof distribution>;

/** Draw one delay in milliseconds; never negative, capped at maxMs when given. */
export function drawDelay(d: LatencyDistribution, rng: Rng): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'uniform':
      return rng.uniform(Math.min(d.minMs, d.maxMs), Math.max(d.minMs, d.maxMs));
    case 'normal':
      return Math.max(0, d.meanMs + d.stddevMs * rng.normal());
    case 'lognormal':
      return d.medianMs * Math.exp(d.sigma * rng.normal());
    case 'pareto':
      return d.scaleMs / (1 - rng.next()) ** (1 / d.shape);
  }
}

export const latency = defineFault({
  type: 'latency',
  summary: 'delay the answer by a fixed or random time (fixed, uniform, normal, lognormal, pareto)',
  schema: z
    .object({
      type: z.literal('latency'),
      ...selectorShape,
      ms: z.number().min(0).optional().describe('shorthand for a fixed delay'),
      distribution: distribution.optional(),
      maxMs: z.number().positive().optional().describe('cap on any drawn delay'),
    })
    .strict()
    .refine((p) => (p.ms === undefined) !== (p.distribution === undefined), {
      message: 'give exactly one of `ms` (fixed delay) or `distribution`',
    }),
  onCall: (p, rng) => {
    const ms = drawDelay(p.distribution ?? { kind: 'fixed', ms: p.ms ?? 0 }, rng);
    return { kind: 'delay', ms: p.maxMs === undefined ? ms : Math.min(ms, p.maxMs) };
  },
});
