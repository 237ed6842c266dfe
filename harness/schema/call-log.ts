import { z } from 'zod';
import { EraSchema } from './era.js';

/**
 * One message a mock received, with what it sent back. Timestamps are integer
 * microseconds on the harness clock (harness/measure/clock.ts), so downstream
 * service time is `completedUs - receivedUs` and lines up with the harness's
 * own end-to-end measurement.
 */
export const CallRecordSchema = z.object({
  seq: z.number().int().describe('order of receipt within the instance'),
  mock: z.string(),
  instance: z.string().describe('process/listener instance id (a stdio mock spawned twice has two)'),
  connection: z.string().describe('MCP session id, or a per-connection id when there is none'),
  era: EraSchema.optional().describe(
    'protocol era of the message: legacy (2025-11-25 session) or modern (2026-07-28 per-request _meta)',
  ),
  kind: z.enum(['request', 'notification']),
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string(),
  tool: z.string().optional(),
  arguments: z.record(z.string(), z.unknown()).optional(),
  params: z.record(z.string(), z.unknown()).optional().describe('params of non-tool messages'),
  meta: z.record(z.string(), z.unknown()).optional(),
  traceparent: z.string().optional(),
  progressToken: z.union([z.string(), z.number()]).optional(),
  headers: z.record(z.string(), z.string()).optional().describe('HTTP request headers (lower-case)'),
  receivedUs: z.number().int(),
  firstByteUs: z.number().int().optional().describe('first message sent for this request'),
  completedUs: z.number().int().optional().describe('final response sent'),
  outcome: z
    .enum([
      'pending',
      'result',
      'isError',
      'error',
      'cancelled',
      'hung',
      'dropped',
      'malformed',
      'http-status',
      'crashed',
    ])
    .default('pending'),
  errorCode: z.number().int().optional(),
  faults: z.array(z.string()).default([]).describe('ids of faults applied to this call'),
  injectedDelayUs: z.number().int().optional(),
  cancelled: z.boolean().optional().describe('a notifications/cancelled arrived for this request'),
  sent: z
    .array(z.object({ method: z.string(), atUs: z.number().int() }))
    .default([])
    .describe('notifications sent while serving the request (progress, logs)'),
});
export type CallRecord = z.output<typeof CallRecordSchema>;

/** Filter accepted by the control API and the programmatic call log. */
export const CallQuerySchema = z.object({
  method: z.string().optional(),
  tool: z.string().optional(),
  since: z.number().int().optional().describe('receivedUs lower bound'),
});
export type CallQuery = z.output<typeof CallQuerySchema>;
