import { validate } from '../../harness/config/load.js';
import { HarnessError } from '../../harness/errors.js';
import type { CallQuery, CallRecord } from '../../harness/schema/call-log.js';
import { type ServerSpec, type ToolSpec, ToolSpecSchema } from '../../harness/schema/fleet.js';
import { type FaultSpec, FaultSpecSchema } from '../faults/registry.js';
import { defaultCallLogCapacity, mergeRecords } from './call-log.js';
import type { MockHandle } from './handle.js';
import { jsonCall } from './json-http.js';

interface Instance {
  id: string;
  pid: number;
  url: string;
}

/**
 * The harness-side stand-in for a stdio mock. The SUT spawns the real mock
 * processes (`mcp-harness mock --stdio`); each registers here through the
 * control plane, receives the current faults, and streams its call records
 * back. Fault changes fan out to every live instance before the API call
 * returns, so a scenario step that adds a fault is in force for the next call.
 */
export class StdioMockProxy implements MockHandle {
  readonly transport = 'stdio' as const;
  private faults: Array<FaultSpec & { id: string }> = [];
  private counter = 0;
  /** Instances not known to be gone; one that is gone is forgotten (a SUT may spawn a child per session). */
  private readonly live = new Map<string, Instance>();
  /** Pushed records by instance and seq, oldest first; at most `capacity` (the newest), as a mock's call log. */
  private readonly pushed = new Map<string, CallRecord>();

  constructor(
    readonly spec: ServerSpec,
    private readonly capacity = defaultCallLogCapacity(),
  ) {
    for (const f of spec.faults) this.faults.push({ ...f, id: f.id ?? `${f.type}-${++this.counter}` });
  }

  get name(): string {
    return this.spec.name;
  }
  status(): string {
    return this.alive().length > 0 ? 'up' : 'idle';
  }
  endpoint() {
    return undefined;
  }
  instances(): number {
    return this.alive().length;
  }

  /** Instances whose process still exists (a child the SUT closed or that crashed does not say goodbye). */
  private alive(): Instance[] {
    for (const [id, i] of this.live) if (!processExists(i.pid)) this.live.delete(id);
    return [...this.live.values()];
  }

  /** A child announced itself: remember where to reach it and give it the faults in force. */
  register(instance: { id: string; pid: number; url: string }): { faults: unknown[] } {
    this.live.set(instance.id, { id: instance.id, pid: instance.pid, url: instance.url });
    return { faults: this.faults };
  }

  /**
   * Records pushed by a child (on every change, so a crashed child's calls are
   * not lost). A record pushed again replaces its older version in place; past
   * `capacity` records the oldest pushed is dropped, as a full call log drops its oldest.
   */
  accept(records: CallRecord[]): void {
    for (const r of records) {
      this.pushed.set(`${r.instance}#${r.seq}`, r);
      if (this.pushed.size > this.capacity) this.pushed.delete(this.pushed.keys().next().value as string);
    }
  }

  listFaults() {
    return this.faults;
  }

  async addFault(input: unknown): Promise<string> {
    const spec = validate(FaultSpecSchema, input, 'fault');
    const id = spec.id ?? `${spec.type}-${++this.counter}`;
    if (this.faults.some((f) => f.id === id)) {
      throw new HarnessError('INVALID_CONFIG', `fault id '${id}' is already installed on ${this.name}`);
    }
    this.faults.push({ ...spec, id });
    await this.fanOut('PUT', '/faults', this.faults);
    return id;
  }

  async removeFault(id: string): Promise<boolean> {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    await this.fanOut('PUT', '/faults', this.faults);
    return this.faults.length < before;
  }

  async resetFaults(): Promise<void> {
    this.faults = [];
    await this.fanOut('PUT', '/faults', []);
  }

  async calls(query: CallQuery = {}): Promise<CallRecord[]> {
    // Live children answer with their full log; pushed records cover the dead ones.
    const fromLive = await this.fanOut<CallRecord[]>('GET', '/calls');
    const merged = mergeRecords([[...this.pushed.values()], ...fromLive]);
    return merged.filter(
      (r) =>
        (query.method === undefined || r.method === query.method) &&
        (query.tool === undefined || r.tool === query.tool) &&
        (query.since === undefined || r.receivedUs >= query.since),
    );
  }

  async clearCalls(): Promise<void> {
    this.pushed.clear();
    await this.fanOut('DELETE', '/calls');
  }

  async addTool(input: unknown): Promise<ToolSpec> {
    const tool = validate(ToolSpecSchema, input, `tool for ${this.name}`);
    await this.fanOut('POST', '/tools', input);
    return tool;
  }

  async removeTool(name: string): Promise<boolean> {
    const results = await this.fanOut<{ removed: boolean }>('DELETE', `/tools/${encodeURIComponent(name)}`);
    return results.some((r) => r.removed);
  }

  /** Kill every live instance (they exit; the SUT sees its child process die). */
  async kill(): Promise<void> {
    await this.fanOut('POST', '/kill');
  }

  /** A stdio mock cannot restart itself: the SUT must spawn it again. */
  async restart(): Promise<void> {}
  async start() {
    return undefined;
  }
  async stop(): Promise<void> {
    await this.kill();
  }

  private async fanOut<T>(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T[]> {
    const alive = this.alive();
    const results = await Promise.allSettled(
      alive.map((i) => jsonCall<T>(i.url + path, method, body, 3_000)),
    );
    const out: T[] = [];
    results.forEach((r, k) => {
      if (r.status === 'fulfilled') out.push(r.value);
      else if (alive[k]) this.live.delete(alive[k].id); // unreachable: the process is gone
    });
    return out;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
