import { z } from 'zod';
import { crash } from './crash.js';
import { drop } from './drop.js';
import { flap } from './flap.js';
import { hang } from './hang.js';
import { httpStatus } from './http-status.js';
import { largePayload } from './large-payload.js';
import { latency } from './latency.js';
import { malformed } from './malformed.js';
import { protocolError } from './protocol-error.js';
import { slowStream } from './slow-stream.js';
import { throwFault } from './throw.js';
import { toolError } from './tool-error.js';
import type { FaultDefinition } from './types.js';

/** Every fault type, by name. A new fault is one file plus one line here. */
export const FAULTS = [
  latency,
  toolError,
  protocolError,
  throwFault,
  hang,
  crash,
  drop,
  malformed,
  httpStatus,
  slowStream,
  flap,
  largePayload,
] as const;

export const FAULT_TYPES = FAULTS.map((f) => f.type);

export function faultDefinition(type: string): FaultDefinition | undefined {
  return (FAULTS as readonly FaultDefinition[]).find((f) => f.type === type);
}

export const FaultSpecSchema = z.discriminatedUnion(
  'type',
  FAULTS.map((f) => f.schema) as unknown as [
    (typeof FAULTS)[number]['schema'],
    ...(typeof FAULTS)[number]['schema'][],
  ],
);
export type FaultSpec = z.output<typeof FaultSpecSchema>;
export type FaultInput = z.input<typeof FaultSpecSchema>;
