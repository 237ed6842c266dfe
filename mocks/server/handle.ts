import type { CallQuery, CallRecord } from '../../harness/schema/call-log.js';
import type { ToolSpec } from '../../harness/schema/fleet.js';
import type { FaultSpec } from '../faults/registry.js';
import type { TransportKind } from '../faults/types.js';
import type { Mock, MockEndpoint } from './mock.js';

/**
 * The control surface of one fleet server, whether it runs in this process
 * (HTTP, SSE) or as stdio child processes a SUT spawned. The control API and
 * scenario steps only ever talk to this.
 */
export interface MockHandle {
  readonly name: string;
  readonly transport: TransportKind;
  status(): string;
  endpoint(): MockEndpoint | undefined;
  instances(): number;
  listFaults(): Array<FaultSpec & { id: string }>;
  addFault(input: unknown): Promise<string>;
  removeFault(id: string): Promise<boolean>;
  resetFaults(): Promise<void>;
  calls(query?: CallQuery): Promise<CallRecord[]>;
  clearCalls(): Promise<void>;
  addTool(input: unknown): Promise<ToolSpec>;
  removeTool(name: string): Promise<boolean>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  start(): Promise<MockEndpoint | undefined>;
  stop(): Promise<void>;
}

/** Adapter for a mock served by this process. */
export function localHandle(mock: Mock): MockHandle {
  return {
    name: mock.name,
    transport: mock.transport,
    status: () => mock.status,
    endpoint: () => mock.endpoint,
    instances: () => (mock.status === 'up' ? 1 : 0),
    listFaults: () => mock.faults.list(),
    addFault: async (input) => mock.faults.add(input),
    removeFault: async (id) => mock.faults.remove(id),
    resetFaults: async () => mock.faults.reset(),
    calls: async (query) => mock.log.list(query),
    clearCalls: async () => mock.log.clear(),
    addTool: (input) => mock.addTool(input),
    removeTool: (name) => mock.removeTool(name),
    kill: () => mock.kill(),
    restart: async () => {
      await mock.restart();
    },
    start: () => mock.start(),
    stop: () => mock.stop(),
  };
}
