import { z } from 'zod';
import { DurationMsSchema } from '../harness/schema/duration.js';
import { EndpointSchema } from '../harness/schema/target.js';
import { BUILTIN_MODULES, MODULE_KINDS, ModuleSpecSchema } from './modules/registry.js';

/**
 * The probe config (`probes.yaml`): modules (what a probe does, like blackbox_exporter's),
 * targets (how to reach each production system, which modules run against it, how often)
 * and the URLs `/probe` may reach besides the configured targets.
 */

const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the daemon sets itself (or Prometheus reserves). */
export const RESERVED_LABELS = ['target', 'module', 'phase', 'kind', 'le', 'result', 'job', 'instance'];

/** Label names are checked in crossCheck (a record key's own issue would only say "invalid key"). */
const LabelsSchema = z.record(z.string(), z.string());

export const DefaultsSchema = z
  .object({
    interval: DurationMsSchema.default(15_000).describe('time between two probes of one target and module'),
    timeout: DurationMsSchema.default(10_000).describe('bound of one probe, connect to close'),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024)
      .describe('bytes one probe may receive over HTTP before it fails as too_large'),
    concurrency: z.number().int().min(1).max(10_000).default(64).describe('probes running at once'),
  })
  .strict();

export const TargetEntrySchema = z
  .object({
    name: z.string().regex(NAME, 'expected 1-128 characters of [A-Za-z0-9_.:-]'),
    endpoint: EndpointSchema.optional().describe('Streamable HTTP / legacy SSE URL or stdio command'),
    target: z.string().min(1).optional().describe('a target file (relative to the config); its endpoint'),
    modules: z.array(z.string().min(1)).min(1).default(['handshake']),
    interval: DurationMsSchema.optional(),
    timeout: DurationMsSchema.optional(),
    maxBytes: z.number().int().positive().optional(),
    labels: LabelsSchema.default({}),
  })
  .strict();
export type TargetEntry = z.output<typeof TargetEntrySchema>;

/** An http(s) URL prefix `/probe?target=URL` may reach. */
const AllowSchema = z.string().refine(
  (u) => {
    try {
      return /^https?:$/.test(new URL(u).protocol);
    } catch {
      return false;
    }
  },
  { message: 'expected an http:// or https:// URL prefix' },
);

export const ProbeConfigSchema = z
  .object({
    defaults: DefaultsSchema.default(DefaultsSchema.parse({})),
    allow: z
      .array(AllowSchema)
      .default([])
      .describe('URL prefixes /probe may probe besides the configured targets (default: none)'),
    modules: z
      .record(z.string().regex(NAME, 'expected 1-128 characters of [A-Za-z0-9_.:-]'), ModuleSpecSchema)
      .default({}),
    targets: z.array(TargetEntrySchema).min(1, 'expected at least one target'),
  })
  .strict()
  // Runs even when other fields have problems, so one pass lists everything.
  .superRefine(crossCheck, { when: () => true });
export type ProbeConfigInput = z.input<typeof ProbeConfigSchema>;
export type ProbeConfigSpec = z.output<typeof ProbeConfigSchema>;

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const durationOf = (v: unknown, fallback: number): number | undefined => {
  if (v === undefined) return fallback;
  const d = DurationMsSchema.safeParse(v);
  return d.success ? d.data : undefined;
};

/** Rules across fields: unique names, known modules, one way to reach a target, timeout within interval. */
function crossCheck(raw: unknown, ctx: z.RefinementCtx): void {
  if (!isObj(raw) || !Array.isArray(raw.targets)) return;
  const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const modules = isObj(raw.modules) ? raw.modules : {};
  const defaults = isObj(raw.defaults) ? raw.defaults : {};
  const defTimeout = durationOf(defaults.timeout, 10_000);
  const defInterval = durationOf(defaults.interval, 15_000);
  const seen = new Set<string>();
  raw.targets.forEach((t: unknown, i) => {
    if (!isObj(t)) return;
    if (typeof t.name === 'string') {
      if (seen.has(t.name)) add(['targets', i, 'name'], `duplicate target name '${t.name}'`);
      seen.add(t.name);
    }
    if ((t.endpoint === undefined) === (t.target === undefined)) {
      add(['targets', i], 'give exactly one of endpoint (url or command) or target (a target file)');
    }
    if (Array.isArray(t.modules)) {
      t.modules.forEach((m: unknown, j) => {
        if (typeof m === 'string' && !(m in modules) && !BUILTIN_MODULES.includes(m)) {
          add(
            ['targets', i, 'modules', j],
            `unknown module '${m}': define it under modules (kinds: ${MODULE_KINDS.join(', ')}) or use ${BUILTIN_MODULES.join(', ')}`,
          );
        }
      });
    }
    if (isObj(t.labels)) {
      for (const name of Object.keys(t.labels)) {
        if (!LABEL_NAME.test(name)) {
          add(['targets', i, 'labels', name], 'expected a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
        } else if (RESERVED_LABELS.includes(name) || name.startsWith('__')) {
          add(
            ['targets', i, 'labels', name],
            `label names ${RESERVED_LABELS.join(', ')} and __* are the daemon's own`,
          );
        }
      }
    }
    const timeout = durationOf(t.timeout, defTimeout ?? 10_000);
    const interval = durationOf(t.interval, defInterval ?? 15_000);
    if (timeout !== undefined && timeout <= 0) add(['targets', i, 'timeout'], 'expected a timeout above 0');
    if (interval !== undefined && interval <= 0)
      add(['targets', i, 'interval'], 'expected an interval above 0');
    else if (timeout !== undefined && interval !== undefined && timeout > interval) {
      add(['targets', i, 'timeout'], `expected a timeout no longer than the interval (${interval} ms)`);
    }
  });
}
