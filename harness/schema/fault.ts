// The fault schema is assembled from the fault registry, so a new fault needs no edit here.
export {
  FAULT_TYPES,
  type FaultInput,
  type FaultSpec,
  FaultSpecSchema,
} from '../../mocks/faults/registry.js';
