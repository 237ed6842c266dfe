import type { Client, Prompt, Resource, ResourceTemplateType } from '@modelcontextprotocol/client';
import { clip } from '../../runner/outcome.js';
import type { ServerSpec } from '../../schema/fleet.js';
import type { CheckContext } from '../context.js';
import { answer, listAll } from './catalogue-util.js';
import { exposedPrompt } from './prompts-routed.js';
import { waitFor } from './resilience-util.js';
import { exposedResource, type Mapped, narrow } from './resources-routed.js';

/**
 * How gateway.capabilities-relayed exercises each capability through the
 * gateway: what it asked, what came back, and whether the answer is the
 * right server's. `unserved` is a -32601 for an advertised capability
 * (gateway.capabilities-honest reports that; this check is then blocked).
 */
export interface Probe {
  ok: boolean;
  unserved?: boolean;
  says: string;
}

/** How long a resources/updated may take to come through after subscribing. */
export const UPDATE_WAIT_MS = 2000;

type Ctx = Pick<CheckContext, 'timeoutMs' | 'signal' | 'target'>;

const opts = (ctx: Ctx) => ({ timeout: ctx.timeoutMs, signal: ctx.signal });

const errorProbe = (what: string, a: { code: number | undefined; message: string }): Probe => ({
  ok: false,
  unserved: a.code === -32601,
  says: `${what}: JSON-RPC error ${a.code}: ${clip(a.message, 100)}`,
});

/** The listed name of a mapped item, or why there is none (not listed, or listed ambiguously). */
function picked<T>(m: Mapped<T>, key: (t: T) => string, what: string): string | Probe {
  if (!m) return { ok: false, says: `${what} is not listed` };
  if ('ambiguous' in m)
    return { ok: false, says: `${what} is listed ambiguously as ${m.ambiguous.map(key).join(', ')}` };
  return key(m.item);
}

/** What the fleet's server answers to a completion: its values that start with the typed value. */
const startingWith = (values: readonly string[], typed: string) => values.filter((v) => v.startsWith(typed));

/**
 * completion/complete by a prompt reference and by a resource-template
 * reference (the first of each with completion values on `servers`), under
 * the name / URI template the gateway lists it as; the values must be that
 * server's. Undefined when the fleet declares no completion values.
 */
export async function probeCompletion(
  ctx: Ctx,
  client: Client,
  servers: readonly ServerSpec[],
): Promise<Probe | undefined> {
  const probes = [
    await promptCompletion(ctx, client, servers),
    await templateCompletion(ctx, client, servers),
  ].filter((p): p is Probe => p !== undefined);
  if (probes.length === 0) return undefined;
  return {
    ok: probes.every((p) => p.ok),
    unserved: probes.some((p) => p.unserved),
    says: probes.map((p) => p.says).join('; '),
  };
}

async function promptCompletion(ctx: Ctx, client: Client, servers: readonly ServerSpec[]) {
  for (const s of servers) {
    for (const p of s.prompts) {
      const arg = p.arguments.find((a) => a.completions?.length);
      if (!arg?.completions) continue;
      const listed = await answer(listAll<Prompt>(client, 'prompts/list', ctx));
      if (listed.kind === 'error') return errorProbe('prompts/list', listed);
      const m = exposedPrompt(ctx.target.spec.naming, listed.result.items as Prompt[], s.name, p.name);
      const name = picked<Prompt>(m, (x) => x.name, `${s.name}'s prompt ${p.name}`);
      if (typeof name !== 'string') return name;
      const typed = arg.completions[0]!.slice(0, 2);
      const want = startingWith(arg.completions, typed);
      return compare(ctx, client, { type: 'ref/prompt', name }, arg.name, typed, want, s.name);
    }
  }
  return undefined;
}

async function templateCompletion(ctx: Ctx, client: Client, servers: readonly ServerSpec[]) {
  for (const s of servers) {
    for (const t of s.resourceTemplates) {
      const [variable, values] = Object.entries(t.completions ?? {}).find(([, v]) => v.length > 0) ?? [];
      if (!variable || !values) continue;
      const listed = await answer(
        client.request({ method: 'resources/templates/list', params: {} }, opts(ctx)),
      );
      if (listed.kind === 'error') return errorProbe('resources/templates/list', listed);
      const templates = (listed.result.resourceTemplates ?? []) as ResourceTemplateType[];
      const same = templates.find((x) => x.uriTemplate === t.uriTemplate);
      const keys = (x: ResourceTemplateType) => [x.uriTemplate, x.name];
      const m = same
        ? { item: same, how: 'same URI template' }
        : narrow(
            templates.filter((x) => x.uriTemplate.includes(t.uriTemplate) || x.name === t.name),
            keys,
            s.name,
            'a template that carries it',
          );
      const what = `${s.name}'s resource template ${t.uriTemplate}`;
      const uri = picked<ResourceTemplateType>(m, (x) => x.uriTemplate, what);
      if (typeof uri !== 'string') return uri;
      const typed = values[0]!.slice(0, 2);
      const want = startingWith(values, typed);
      return compare(ctx, client, { type: 'ref/resource', uri }, variable, typed, want, s.name);
    }
  }
  return undefined;
}

async function compare(
  ctx: Ctx,
  client: Client,
  ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string },
  argument: string,
  typed: string,
  want: string[],
  server: string,
): Promise<Probe> {
  const what = `completion/complete of ${ref.type === 'ref/prompt' ? ref.name : ref.uri} ${argument}=${JSON.stringify(typed)}`;
  const got = await answer(
    client.request(
      { method: 'completion/complete', params: { ref, argument: { name: argument, value: typed } } },
      opts(ctx),
    ),
  );
  if (got.kind === 'error') return errorProbe(what, got);
  const values = ((got.result.completion as { values?: unknown } | undefined)?.values ?? []) as unknown[];
  const same = JSON.stringify([...values].sort()) === JSON.stringify([...want].sort());
  return {
    ok: same,
    says: `${what} → ${JSON.stringify(values)}${same ? ` (${server}'s values)` : ` instead of ${server}'s ${JSON.stringify(want)}`}`,
  };
}

/** logging/setLevel is accepted (debug: every message still passes, nothing else is affected). */
export async function probeSetLevel(ctx: Ctx, client: Client): Promise<Probe> {
  const got = await answer(
    client.request({ method: 'logging/setLevel', params: { level: 'debug' } }, opts(ctx)),
  );
  return got.kind === 'error'
    ? errorProbe('logging/setLevel', got)
    : { ok: true, says: 'logging/setLevel accepted' };
}

/**
 * resources/subscribe to a resource of a server that offers subscriptions
 * (by the URI the gateway lists it under); the mock then reports one change,
 * which must reach the client as notifications/resources/updated.
 */
export async function probeSubscribe(
  ctx: Ctx,
  client: Client,
  servers: readonly ServerSpec[],
): Promise<Probe | undefined> {
  const owner = servers.find((s) => s.resources.length > 0);
  const resource = owner?.resources[0];
  if (!owner || !resource) return undefined;
  const listed = await answer(listAll<Resource>(client, 'resources/list', ctx));
  if (listed.kind === 'error') return errorProbe('resources/list', listed);
  const m = exposedResource(listed.result.items as Resource[], owner.name, resource);
  const uri = picked<Resource>(m, (r) => r.uri, `${owner.name}'s resource ${resource.uri}`);
  if (typeof uri !== 'string') return uri;
  const updates: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (n) => void updates.push(n.params.uri));
  try {
    const sub = await answer(client.request({ method: 'resources/subscribe', params: { uri } }, opts(ctx)));
    if (sub.kind === 'error') return errorProbe(`resources/subscribe ${uri}`, sub);
    const t0 = performance.now();
    const came = await waitFor(() => updates.includes(uri), UPDATE_WAIT_MS, { signal: ctx.signal });
    await answer(client.request({ method: 'resources/unsubscribe', params: { uri } }, opts(ctx)));
    return came
      ? {
          ok: true,
          says: `subscribed to ${uri}; ${owner.name}'s update arrived after ${Math.round(performance.now() - t0)} ms`,
        }
      : {
          ok: false,
          says: `subscribed to ${uri} (${owner.name} reports a change right after); no notifications/resources/updated within ${UPDATE_WAIT_MS} ms${updates.length ? ` (updates for: ${updates.join(', ')})` : ''}`,
        };
  } finally {
    client.removeNotificationHandler('notifications/resources/updated');
  }
}
