import type { Check } from '../types.js';
import { badProtocolVersion } from './bad-protocol-version.js';
import { deleteSession } from './delete-session.js';
import { errorKeepsId } from './error-keeps-id.js';
import { foreignHost } from './foreign-host.js';
import { foreignOrigin } from './foreign-origin.js';
import { jsonAndSse } from './json-and-sse.js';
import { notification202 } from './notification-202.js';
import { sessionId } from './session-id.js';
import { sseResume } from './sse-resume.js';
import { unknownSession } from './unknown-session.js';

/** The `http` suite: one file per check, listed here in the order they run. */
export const httpChecks: readonly Check[] = [
  sessionId,
  unknownSession,
  notification202,
  badProtocolVersion,
  jsonAndSse,
  foreignOrigin,
  foreignHost,
  errorKeepsId,
  sseResume,
  deleteSession,
];
