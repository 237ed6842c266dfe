import type { Check } from '../types.js';
import { meshHandshake } from './handshake.js';
import { meshIsErrorPreserved } from './iserror-preserved.js';
import { meshNameCollisions } from './name-collisions.js';
import { meshOneDown } from './one-down.js';
import { meshToolSchemas } from './tool-schemas.js';
import { meshUnknownTool } from './unknown-tool.js';

/** The `mesh` suite: one file per check, listed here in the order they run. */
export const meshChecks: readonly Check[] = [
  meshHandshake,
  meshToolSchemas,
  meshNameCollisions,
  meshUnknownTool,
  meshIsErrorPreserved,
  meshOneDown,
];
