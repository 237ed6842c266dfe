// The programmatic API: everything the CLI does is callable from here.

export { createFleet, type Fleet, type FleetOptions, type McpServerEntry } from '../mocks/server/fleet.js';
export type { MockHandle } from '../mocks/server/handle.js';
export { loadFleet } from './config/fleet-file.js';
export { ERROR_CATALOG, EXIT, HarnessError, isHarnessError, type Problem } from './errors.js';
export { nowUs } from './measure/clock.js';
export { type CallQuery, type CallRecord, CallRecordSchema } from './schema/call-log.js';
export { FAULT_TYPES, type FaultInput, type FaultSpec, FaultSpecSchema } from './schema/fault.js';
export {
  defineFleet,
  type FleetInput,
  type FleetSpec,
  FleetSpecSchema,
  type ServerSpec,
  ServerSpecSchema,
  type ToolSpec,
  ToolSpecSchema,
} from './schema/fleet.js';
export { ORIGIN_TAG_RE, originTag } from './schema/origin.js';
