import type { CallRecord } from '../../harness/schema/call-log.js';
import type { ServerSpec, ToolSpec } from '../../harness/schema/fleet.js';
import type { TransportKind } from '../faults/types.js';
import type { CallLog } from './call-log.js';
import type { FaultEngine } from './fault-engine.js';

/** What every connection of one mock shares: its catalogue, faults, call log and lifecycle. */
export interface MockState {
  readonly spec: ServerSpec;
  readonly instance: string;
  readonly transport: TransportKind;
  /** Live tool set: tools added/removed at run time trigger notifications/tools/list_changed. */
  readonly tools: Map<string, ToolSpec>;
  readonly faults: FaultEngine;
  readonly log: CallLog;
  /** Aborted when the mock stops or crashes. */
  readonly stopSignal: AbortSignal;
  nextSeq(): number;
  /** Tell every client (both eras) that a list changed. */
  notifyListChanged(list: 'tools' | 'prompts' | 'resources'): Promise<void>;
  crash(record: CallRecord): Promise<never>;
}
