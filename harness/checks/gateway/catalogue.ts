import type { Check } from '../types.js';
import { annotationsPreserved } from './annotations-preserved.js';
import { argsPassthrough } from './args-passthrough.js';
import { badCursor } from './bad-cursor.js';
import { capabilitiesHonest } from './capabilities-honest.js';
import { capabilitiesRelayed } from './capabilities-relayed.js';
import { collidingNames } from './colliding-names.js';
import { contentPreserved } from './content-preserved.js';
import { errorsNameOrigin } from './errors-name-origin.js';
import { handshake } from './handshake.js';
import { iserrorPreserved } from './iserror-preserved.js';
import { jsonrpcErrorPreserved } from './jsonrpc-error-preserved.js';
import { namesValid } from './names-valid.js';
import { noInternalsLeak } from './no-internals-leak.js';
import { paginationAggregated } from './pagination-aggregated.js';
import { ping } from './ping.js';
import { promptsRouted } from './prompts-routed.js';
import { resourcesRouted } from './resources-routed.js';
import { schemasPreserved } from './schemas-preserved.js';
import { toolsExposedOnce } from './tools-exposed-once.js';
import { toolsReadyAtHandshake } from './tools-ready-at-handshake.js';
import { tracePropagated } from './trace-propagated.js';
import { unknownTool } from './unknown-tool.js';

/** Gateway checks on the tool catalogue, routing, results and errors (in the order they run). */
export const catalogueChecks: readonly Check[] = [
  // session and catalogue
  handshake,
  capabilitiesHonest,
  capabilitiesRelayed,
  ping,
  toolsReadyAtHandshake,
  toolsExposedOnce,
  collidingNames,
  namesValid,
  schemasPreserved,
  annotationsPreserved,
  paginationAggregated,
  badCursor,
  // calls and results
  unknownTool,
  argsPassthrough,
  tracePropagated,
  contentPreserved,
  iserrorPreserved,
  jsonrpcErrorPreserved,
  errorsNameOrigin,
  // resources and prompts
  resourcesRouted,
  promptsRouted,
  // last: it stops a fleet server for a moment
  noInternalsLeak,
];
