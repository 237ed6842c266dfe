import type {
  Client,
  ClientCapabilities,
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from '@modelcontextprotocol/client';
import type { ProtocolError, Server } from '@modelcontextprotocol/server';
import {
  buildResources,
  buildTable,
  buildTools,
  exposedName,
  type Listed,
  type PromptTable,
  type ResourceTable,
  type Table,
} from './catalog.js';
import type { GatewayContext } from './context.js';
import { Downstream, type DownstreamOwner } from './downstream.js';
import { canFailover, classify, DownstreamUnavailable, type FailureSite, upstreamError } from './errors.js';
import { registerHandlers } from './handlers.js';
import { HeldCalls } from './held-call.js';
import { type ListKind, listAll } from './listing.js';
import { installRelays } from './relay.js';
import type { ServerGroup } from './settings.js';
import { createUpstreamServer } from './upstream-server.js';

/**
 * One upstream client session: its SDK Server and its own connections to
 * every downstream server, so server-to-client requests and notifications
 * reach the client whose call caused them, and everything the session opened
 * is released when it ends.
 */
export class GatewaySession implements DownstreamOwner {
  readonly server: Server;
  readonly downstreams = new Map<string, Downstream>();
  readonly downAtStart = new Set<string>();
  tools: Table<Tool> = { list: [], routes: new Map() };
  resources: ResourceTable = buildResources([], []);
  prompts: PromptTable = { list: [], routes: new Map() };
  /**
   * DEFECT legacy-backends-hidden: 2025-only backends are left out of what a modern client sees.
   * DEFECT modern-backends-hidden: backends reached in 2026-07-28 are left out of what a 2025 client sees.
   */
  private hides(ds: Downstream): boolean {
    if (this.era === 'modern') return this.defects.has('legacy-backends-hidden') && ds.era === 'legacy';
    return this.defects.has('modern-backends-hidden') && ds.era === 'modern';
  }

  /** Logical servers down since the session started that the last tools/list could not reach. */
  toolFailures: string[] = [];
  /** Logical servers the last tools/list could not reach. */
  private unlisted = new Set<string>();
  initializedAt = Date.now();
  /** Exposed tool names of the session's first tools/list (DEFECT added-tool-unroutable). */
  firstTools: Set<string> | undefined;
  /** tools/call requests being served, and whether a tools/list was answered (DEFECT calls-before-ready-fail). */
  callsInFlight = 0;
  listedOnce = false;
  /** Logical servers whose tools the last tools/list showed. */
  private shownTools = new Set<string>();
  private startup: Promise<void> | undefined;
  private started = false;
  private closed = false;
  onClosed: (() => void) | undefined;

  constructor(
    readonly gw: GatewayContext,
    /** Authorization/Cookie of the upstream handshake: only ever used by the auth-forwarded defect. */
    private readonly upstreamAuth: Record<string, string> = {},
    /**
     * `modern`: the one pool of downstream connections every 2026-07-28
     * request shares (no upstream session in that era); its own `server` is
     * never connected, each request gets a server of its own (modern.ts).
     */
    readonly era: 'legacy' | 'modern' = 'legacy',
  ) {
    this.server = createUpstreamServer(gw.defects);
    this.held = new HeldCalls(gw.config.settings.timeoutMs);
    registerHandlers(this, this.server);
    this.server.oninitialized = () => {
      this.initializedAt = Date.now();
      void this.start();
    };
    this.server.onclose = () => void this.close();
    for (const [name, entry] of gw.config.servers) {
      const ds = new Downstream(name, entry, this);
      this.downstreams.set(name, ds);
      gw.downstreams.add(ds);
    }
    if (era === 'legacy') gw.sessions.add(this);
  }

  get defects() {
    return this.gw.defects;
  }
  get settings() {
    return this.gw.config.settings;
  }
  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }
  log(message: string): void {
    this.gw.log(message);
  }

  /** Connect every downstream once (in parallel, within the timeout); a failure is tolerated and noted. */
  start(): Promise<void> {
    this.startup ??= (async () => {
      const deadline = Date.now() + this.timeoutMs;
      await Promise.all(
        [...this.downstreams.values()].map((ds) =>
          ds.ready(deadline).catch(() => this.downAtStart.add(ds.name)),
        ),
      );
      this.started = true;
    })();
    return this.startup;
  }

  clientCapabilities(): ClientCapabilities {
    // A modern client declares its capabilities per request: the pool offers sampling, elicitation and
    // roots downstream and refuses, per call, what the calling client did not declare (call-modern.ts).
    const up: ClientCapabilities =
      this.era === 'modern'
        ? { sampling: {}, elicitation: {}, roots: {} }
        : (this.server.getClientCapabilities() ?? {});
    const caps: ClientCapabilities = {};
    if (this.defects.has('sampling-fabricated')) caps.sampling = {};
    else if (up.sampling) caps.sampling = up.sampling;
    if (up.elicitation) caps.elicitation = up.elicitation;
    if (up.roots) caps.roots = { listChanged: true };
    return caps;
  }

  /**
   * Tell upstream that a list changed: this session's client (legacy), or
   * every open subscriptions/listen stream (the modern pool). Never throws.
   */
  async announce(kind: 'tools' | 'resources' | 'prompts'): Promise<void> {
    if (this.era === 'modern') {
      // DEFECT listen-silent: subscriptions/listen streams are acknowledged, then never told anything.
      if (this.defects.has('listen-silent')) return;
      const notify = this.gw.notify;
      if (kind === 'tools') notify?.toolsChanged();
      else if (kind === 'resources') notify?.resourcesChanged();
      else notify?.promptsChanged();
      return;
    }
    const send =
      kind === 'tools'
        ? this.server.sendToolListChanged()
        : kind === 'resources'
          ? this.server.sendResourceListChanged()
          : this.server.sendPromptListChanged();
    await send.catch(() => undefined);
  }

  forwardedHeaders(): Record<string, string> {
    return this.defects.has('auth-forwarded') ? this.upstreamAuth : {};
  }

  install(client: Client, ds: Downstream): void {
    installRelays(this, client, ds);
  }

  connected(_ds: Downstream): void {
    // A server that comes (back) after the session started may list other tools: tell the client.
    if (this.started && !this.closed) void this.announce('tools');
  }

  /**
   * Run `fn` on a logical server: its replicas in order (those not known to be
   * down first), moving on when one cannot be reached. The error that ends it
   * becomes an upstream JSON-RPC error naming the server and target.
   */
  async onGroup<T>(
    group: ServerGroup,
    deadline: number,
    site: FailureSite,
    fn: (ds: Downstream, client: Client, ms: number) => Promise<T>,
  ): Promise<T> {
    const members = group.members.map((m) => this.downstreams.get(m)!);
    const ordered = this.defects.has('no-failover')
      ? members.slice(0, 1)
      : [...members.filter((d) => d.state !== 'down'), ...members.filter((d) => d.state === 'down')];
    let failure = classify(new Error('no replica'), this.timeoutMs);
    for (const ds of ordered) {
      try {
        return await ds.run(deadline, (client, ms) => fn(ds, client, ms));
      } catch (err) {
        failure = classify(err, this.timeoutMs);
        if (failure.kind === 'internal') this.log(`${group.name}: ${(err as Error)?.stack ?? err}`);
        if (!canFailover(failure)) break;
      }
    }
    throw upstreamError(failure, site, this.defects);
  }

  /** Everything each logical server lists (servers that fail are left out). */
  async listEach<T>(kind: ListKind): Promise<Array<Listed<T> & { error?: unknown }>> {
    const firstPageOnly = this.defects.has('no-pagination');
    const deadline = Date.now() + this.timeoutMs;
    return Promise.all(
      this.gw.config.groups.map(async (group) => {
        try {
          const items = await this.onGroup(group, deadline, { server: group.name }, (ds, client) =>
            this.hides(ds)
              ? Promise.resolve([] as T[])
              : listAll<T>(client, kind, deadline, this.timeoutMs, firstPageOnly),
          );
          return { group, items };
        } catch (error) {
          return { group, items: [] as T[], error };
        }
      }),
    );
  }

  async refreshTools(): Promise<Table<Tool>> {
    const listed = await this.listEach<Tool>('tools');
    this.tools = buildTools(listed, this.settings, this.defects, (m) => this.log(m));
    // A server that can no longer be reached drops out of the list: the client is told its tools are
    // gone (once; its reconnect tells again). DEFECT outage-silent: they vanish without a word.
    const gone = listed.filter((l) => l.error && this.shownTools.has(l.group.name));
    for (const l of listed)
      if (l.error || l.items.length === 0) this.shownTools.delete(l.group.name);
      else this.shownTools.add(l.group.name);
    if (gone.length > 0 && !this.closed && !this.defects.has('outage-silent')) void this.announce('tools');
    this.firstTools ??= new Set(this.tools.list.map((t) => t.name));
    this.toolFailures = this.stillDownSinceStart(listed);
    this.unlisted = new Set(listed.filter((l) => l.error).map((l) => l.group.name));
    return this.tools;
  }

  async refreshResources(): Promise<ResourceTable> {
    const [resources, templates] = await Promise.all([
      this.listEach<Resource>('resources'),
      this.listEach<ResourceTemplate>('resourceTemplates'),
    ]);
    this.resources = buildResources(resources, templates);
    return this.resources;
  }

  async refreshPrompts(): Promise<PromptTable> {
    const listed = await this.listEach<Prompt>('prompts');
    this.prompts = buildTable(listed, this.settings, this.defects, (m) => this.log(m));
    return this.prompts;
  }

  /** Logical servers that were down when the session started and still cannot be reached. */
  stillDownSinceStart(listed: ReadonlyArray<{ group: ServerGroup; error?: unknown }>): string[] {
    return listed
      .filter((l) => l.error && l.group.members.some((m) => this.downAtStart.has(m)))
      .map((l) => l.group.name);
  }

  /**
   * A tool name that belongs (by its prefix) to a logical server the last
   * tools/list could not reach fails with that server's error, not "unknown tool".
   */
  unreachableFor(exposed: string): ProtocolError | undefined {
    for (const group of this.gw.config.groups) {
      const prefix = exposedName(this.settings, this.defects, group.name, '');
      if (prefix === '' || !exposed.startsWith(prefix) || !this.unlisted.has(group.name)) continue;
      const reason = group.members.map((m) => this.downstreams.get(m)?.lastError).find(Boolean);
      const f = classify(new DownstreamUnavailable(reason ?? 'unavailable'), this.timeoutMs);
      return upstreamError(f, { server: group.name, target: exposed.slice(prefix.length) }, this.defects);
    }
    return undefined;
  }

  /** A downstream of this session that was up and has died (the dead-backend-cascade defect). */
  deadDownstream(): Downstream | undefined {
    return [...this.downstreams.values()].find((d) => d.state === 'down' && d.everUp);
  }

  /** Calls held across a modern client's rounds (the modern pool only). */
  readonly held: HeldCalls;

  /** The session ended because its client went away (idle timeout), not by DELETE. */
  expired = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gw.sessions.delete(this);
    this.onClosed?.();
    await this.server.close().catch(() => {});
    this.held.close();
    if (this.defects.has('session-leak') && !this.expired) return; // left open until the gateway exits
    await Promise.all(
      [...this.downstreams.values()].map(async (ds) => {
        await ds.close();
        this.gw.downstreams.delete(ds);
      }),
    );
  }
}
