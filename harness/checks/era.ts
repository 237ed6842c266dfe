import { ERA_VERSION, type Era, EraSchema } from '../schema/era.js';
import { ProtocolSchema } from '../schema/target.js';
import type { CheckContext } from './context.js';

/** Both eras, in the order `--protocol both` runs them. */
export const ERAS: readonly Era[] = EraSchema.options;

/** The era a negotiated protocol revision belongs to (2026-07-28 and later: modern). */
export function eraOfVersion(version: string): Era {
  return version >= ERA_VERSION.modern ? 'modern' : 'legacy';
}

/**
 * The eras a check run asks about: the one the target pins, or both for
 * `auto` (a client that speaks either: the SUT should serve it in both).
 */
export function erasInUse(ctx: Pick<CheckContext, 'target'>): readonly Era[] {
  const asked: string = ctx.target.spec.protocol;
  if (asked === 'legacy') return ['legacy'];
  if (asked === 'auto') return ERAS;
  return ['modern'];
}

/** The target's `protocol` value that pins an era (the schema's own spelling of it). */
export function protocolFor(era: Era): ReturnType<typeof ProtocolSchema.parse> {
  const options: readonly string[] = ProtocolSchema.options;
  if (options.includes(era)) return era as ReturnType<typeof ProtocolSchema.parse>;
  return ProtocolSchema.parse(ERA_VERSION[era]);
}
