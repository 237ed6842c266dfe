import { z } from 'zod';

/** The phases a probe times (`mcp_probe_phase_duration_seconds{phase}`). */
export const PHASES = ['connect', 'initialize', 'list', 'call'] as const;
export type Phase = (typeof PHASES)[number];

/** Why a probe failed (`mcp_probe_errors_total{kind}`); docs/probe.md explains each. */
export const ERROR_KINDS = [
  'timeout',
  'connect',
  'tls',
  'http',
  'protocol',
  'process_exit',
  'too_large',
  'tool_error',
  'expectation',
  'drift',
  'scenario',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** One probe of one target with one module, as data (the `--once` JSON output, the metrics' source). */
export const ProbeResultSchema = z.object({
  target: z.string(),
  module: z.string(),
  labels: z.record(z.string(), z.string()),
  success: z.boolean(),
  durationUs: z.number().int().nonnegative(),
  phasesUs: z.partialRecord(z.enum(PHASES), z.number().int().nonnegative()),
  kind: z.enum(ERROR_KINDS).optional(),
  reason: z.string().optional(),
  tools: z.number().int().nonnegative().optional(),
  changed: z.number().int().nonnegative().optional(),
  catalogHash: z.number().int().nonnegative().optional(),
  /** Each tool call's latency in µs (bounded: a probe makes few calls). */
  callsUs: z.array(z.number().int().nonnegative()),
  details: z.array(z.string()),
  /** When the probe started (ISO 8601). */
  startedAt: z.string(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;
