import { HarnessError, type Problem } from '../../harness/errors.js';
import type { CallQuery, CallRecord } from '../../harness/schema/call-log.js';
import type { ToolSpec } from '../../harness/schema/fleet.js';
import type { FaultSpec } from '../faults/registry.js';
import type { TransportKind } from '../faults/types.js';
import type { MockHandle } from './handle.js';
import { jsonCall } from './json-http.js';
import type { MockEndpoint } from './mock.js';

/** What the control API says about one mock (`GET /mocks/:name`). */
export interface MockSnapshot {
  name: string;
  transport: TransportKind;
  status: string;
  endpoint?: MockEndpoint;
  instances: number;
  faults: Array<FaultSpec & { id: string }>;
}

/**
 * A mock of a fleet that runs in another process or on another host, driven
 * through that fleet's control API. The synchronous reads (status, instances,
 * faults) answer from the last snapshot and start a refresh, so a check that
 * polls them sees the remote state one poll later; every change returns the
 * fresh state. `start` brings a killed mock back; `stop` does nothing: the
 * fleet belongs to whoever started it.
 */
export class RemoteMockHandle implements MockHandle {
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly controlUrl: string,
    private snapshot: MockSnapshot,
  ) {}

  get name(): string {
    return this.snapshot.name;
  }
  get transport(): TransportKind {
    return this.snapshot.transport;
  }
  status(): string {
    void this.refresh();
    return this.snapshot.status;
  }
  endpoint(): MockEndpoint | undefined {
    return this.snapshot.endpoint;
  }
  instances(): number {
    void this.refresh();
    return this.snapshot.instances;
  }
  listFaults() {
    return this.snapshot.faults;
  }

  /** Fetch the current state (one request at a time; failures keep the last snapshot). */
  refresh(): Promise<void> {
    this.refreshing ??= this.call<MockSnapshot>('GET', '')
      .then((s) => {
        this.snapshot = s;
      })
      .catch(() => {})
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  async addFault(input: unknown): Promise<string> {
    const r = await this.call<{ id: string; faults: MockSnapshot['faults'] }>('POST', '/faults', input);
    this.snapshot = { ...this.snapshot, faults: r.faults };
    return r.id;
  }
  async removeFault(id: string): Promise<boolean> {
    const r = await this.call<{ faults: MockSnapshot['faults'] }>(
      'DELETE',
      `/faults/${encodeURIComponent(id)}`,
    ).catch(notFound);
    if (r) this.snapshot = { ...this.snapshot, faults: r.faults };
    return r !== undefined;
  }
  async resetFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
    this.snapshot = { ...this.snapshot, faults: [] };
  }
  async calls(query: CallQuery = {}): Promise<CallRecord[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    const qs = q.size > 0 ? `?${q}` : '';
    return this.call<CallRecord[]>('GET', `/calls${qs}`);
  }
  async clearCalls(): Promise<void> {
    await this.call('DELETE', '/calls');
  }
  addTool(input: unknown): Promise<ToolSpec> {
    return this.call<ToolSpec>('POST', '/tools', input);
  }
  async removeTool(name: string): Promise<boolean> {
    const r = await this.call('DELETE', `/tools/${encodeURIComponent(name)}`).catch(notFound);
    return r !== undefined;
  }
  async kill(): Promise<void> {
    this.snapshot = await this.call<MockSnapshot>('POST', '/kill');
  }
  async restart(): Promise<void> {
    this.snapshot = await this.call<MockSnapshot>('POST', '/restart');
  }
  async start(): Promise<MockEndpoint | undefined> {
    await this.refresh();
    if (this.snapshot.status !== 'up' && this.transport !== 'stdio') await this.restart();
    return this.snapshot.endpoint;
  }
  async stop(): Promise<void> {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const url = `${this.controlUrl}/mocks/${encodeURIComponent(this.name)}${path}`;
    try {
      return await jsonCall<T>(url, method, body, 10_000);
    } catch (e) {
      const data = (e as { data?: { problems?: Problem[]; error?: string; code?: string } }).data;
      if ((e as { status?: number }).status === 400 && data?.code === 'INVALID_CONFIG') {
        throw new HarnessError('INVALID_CONFIG', data.error ?? 'invalid input', {
          problems: data.problems ?? [],
          cause: e,
        });
      }
      throw e;
    }
  }
}

/** A 404 from the control API (no such fault or tool) is an answer, not a failure. */
function notFound(e: unknown): undefined {
  if ((e as { status?: number }).status === 404) return undefined;
  throw e;
}
