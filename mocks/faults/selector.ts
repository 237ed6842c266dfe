import { z } from 'zod';

/**
 * Fields every fault shares: which calls it applies to. A call is counted
 * against a fault only when it matches `tools`/`methods`; `after` skips the
 * first N matching calls, `for` stops after N applications, and `probability`
 * is drawn from the fault's seeded stream for each remaining call.
 */
export const selectorShape = {
  id: z.string().min(1).optional().describe('name used by the control API; defaults to type + index'),
  tools: z.array(z.string().min(1)).min(1).optional().describe('limit to these tool names'),
  methods: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('JSON-RPC methods the fault applies to; default tools/call ("*" for all)'),
  probability: z.number().min(0).max(1).default(1),
  after: z.number().int().min(0).default(0).describe('skip the first N matching calls'),
  for: z.number().int().min(1).optional().describe('apply to N calls, then stop'),
};

export type Selector = {
  id?: string;
  tools?: string[];
  methods?: string[];
  probability: number;
  after: number;
  for?: number;
};

export const DEFAULT_METHODS = ['tools/call'];

export function matchesCall(sel: Selector, method: string, tool: string | undefined): boolean {
  const methods = sel.methods ?? DEFAULT_METHODS;
  if (!methods.includes('*') && !methods.includes(method)) return false;
  if (sel.tools && (tool === undefined || !sel.tools.includes(tool))) return false;
  return true;
}
