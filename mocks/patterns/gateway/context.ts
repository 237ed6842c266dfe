import type { ServerNotifier } from '@modelcontextprotocol/server';
import type { GatewayConfig } from './config.js';
import type { Paginator } from './cursor.js';
import type { Defects } from './defects.js';
import type { Downstream } from './downstream.js';
import type { GatewaySession } from './session.js';

/** What every part of one running gateway shares. */
export interface GatewayContext {
  readonly config: GatewayConfig;
  readonly defects: Defects;
  readonly paginator: Paginator;
  /** Open upstream sessions. */
  readonly sessions: Set<GatewaySession>;
  /** Every downstream connection any session opened and has not released (closed at shutdown). */
  readonly downstreams: Set<Downstream>;
  log(message: string): void;
  /** The gateway cannot go on (the oversize-crash defect): stop serving. */
  fatal(reason: string): void;
  /** Publishes list changes to modern clients' subscriptions/listen streams (set by the HTTP face). */
  notify?: ServerNotifier;
  /** Shared result slot of the crossed-responses defect. */
  crossSlot?: unknown;
}
