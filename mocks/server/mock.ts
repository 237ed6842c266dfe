import { randomUUID } from 'node:crypto';
import type { ServerNotifier } from '@modelcontextprotocol/server';
import { validate } from '../../harness/config/load.js';
import { HarnessError } from '../../harness/errors.js';
import type { CallRecord } from '../../harness/schema/call-log.js';
import { type ServerSpec, type ToolSpec, ToolSpecSchema } from '../../harness/schema/fleet.js';
import type { MockLifecycle, TransportKind } from '../faults/types.js';
import { CallLog } from './call-log.js';
import type { Connection } from './connection.js';
import { FaultEngine } from './fault-engine.js';
import type { MockState } from './state.js';

/** Where a running mock can be reached. */
export interface MockEndpoint {
  name: string;
  transport: TransportKind;
  url?: string;
}

/** What a transport host must provide so the mock can start, stop, crash and flap it. */
export interface MockHost {
  listen(): Promise<MockEndpoint>;
  /** Stop accepting and destroy every open connection (crash, flap down). */
  goDown(): Promise<void>;
  /** Accept again on the same address (flap up, restart). */
  goUp(): Promise<void>;
  close(): Promise<void>;
}

export type MockStatus = 'stopped' | 'up' | 'down' | 'crashed';

/**
 * The runtime of one fleet server. It owns the state every connection shares
 * (catalogue, faults, call log) and the lifecycle (start/stop/crash/restart);
 * a MockHost does the transport work.
 */
export class Mock implements MockState, MockLifecycle {
  readonly instance = randomUUID().slice(0, 8);
  readonly tools: Map<string, ToolSpec>;
  readonly faults: FaultEngine;
  readonly log = new CallLog();
  readonly connections = new Set<Connection>();
  status: MockStatus = 'stopped';
  /** Open subscriptions/listen streams of the modern leg (set by an HTTP host serving it). */
  modernNotify?: ServerNotifier;
  endpoint?: MockEndpoint;
  private host?: MockHost;
  private stopController = new AbortController();
  private seq = 0;

  constructor(
    readonly spec: ServerSpec,
    seed: number,
    private readonly hostFactory?: (mock: Mock) => MockHost,
  ) {
    this.tools = new Map(spec.tools.map((t) => [t.name, t]));
    this.faults = new FaultEngine(seed, this);
    for (const f of spec.faults) this.faults.add(f);
  }

  get name(): string {
    return this.spec.name;
  }
  get transport(): TransportKind {
    return this.spec.transport;
  }
  get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }
  nextSeq(): number {
    return ++this.seq;
  }

  async start(): Promise<MockEndpoint> {
    if (!this.hostFactory) throw new HarnessError('INTERNAL', `mock ${this.name} has no transport host`);
    if (this.status === 'up') return this.endpoint!;
    this.stopController = new AbortController();
    this.host ??= this.hostFactory(this);
    this.endpoint = await this.host.listen();
    this.status = 'up';
    return this.endpoint;
  }

  async stop(): Promise<void> {
    this.faults.reset();
    this.stopController.abort();
    for (const c of this.connections) c.settleOpen('hung');
    await this.host?.close();
    this.host = undefined;
    this.status = 'stopped';
  }

  /** Crash on a call: the connection closes under the client. Stays crashed until restart(). */
  async crash(record?: CallRecord): Promise<never> {
    if (record) {
      record.outcome = 'crashed';
      this.log.touch(record);
    }
    await this.kill();
    return new Promise<never>(() => {});
  }

  async kill(): Promise<void> {
    this.stopController.abort();
    for (const c of this.connections) c.settleOpen('crashed');
    this.connections.clear();
    await this.host?.goDown();
    this.status = 'crashed';
  }

  async restart(): Promise<MockEndpoint> {
    if (this.status === 'stopped') return this.start();
    this.stopController = new AbortController();
    await this.host?.goUp();
    this.status = 'up';
    return this.endpoint!;
  }

  // MockLifecycle, used by the flap fault.
  async goDown(): Promise<void> {
    if (this.status !== 'up') return;
    for (const c of this.connections) c.settleOpen('crashed');
    this.connections.clear();
    await this.host?.goDown();
    this.status = 'down';
  }
  async goUp(): Promise<void> {
    if (this.status !== 'down') return;
    await this.host?.goUp();
    this.status = 'up';
  }

  /** Add (or replace) a tool at run time and tell every connected client. */
  async addTool(input: unknown): Promise<ToolSpec> {
    const tool = validate(ToolSpecSchema, input, `tool for ${this.name}`);
    this.tools.set(tool.name, tool);
    await this.notifyToolsChanged();
    return tool;
  }

  async removeTool(name: string): Promise<boolean> {
    const removed = this.tools.delete(name);
    if (removed) await this.notifyToolsChanged();
    return removed;
  }

  async notifyToolsChanged(): Promise<void> {
    await this.notifyListChanged('tools');
  }

  /** Tell every client a list changed: legacy sessions by notification, modern subscriptions/listen streams. */
  async notifyListChanged(list: 'tools' | 'prompts' | 'resources'): Promise<void> {
    this.modernNotify?.[`${list}Changed`]();
    const legacy = [...this.connections].filter((c) => c.era === 'legacy'); // a modern exchange is one request
    await Promise.all(
      legacy.map((c) => {
        const s = c.server;
        const sent =
          list === 'tools'
            ? s?.sendToolListChanged()
            : list === 'prompts'
              ? s?.sendPromptListChanged()
              : s?.sendResourceListChanged();
        return sent?.catch(() => undefined);
      }),
    );
  }
}
