import { z } from 'zod';

/** The protocol eras: legacy is 2025-11-25 (initialize, sessions), modern is 2026-07-28 (per-request _meta). */
export const EraSchema = z.enum(['legacy', 'modern']);
export type Era = z.infer<typeof EraSchema>;

/** What a mock serves: one era, or both from one endpoint. */
export const EraChoiceSchema = z.enum(['legacy', 'modern', 'dual']);
export type EraChoice = z.infer<typeof EraChoiceSchema>;

/** The protocol revision each era speaks on the wire. */
export const ERA_VERSION: Record<Era, string> = { legacy: '2025-11-25', modern: '2026-07-28' };
