import { access as exists } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CallToolResult, Client, ProgressCallback } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { importConfigModule } from '../config/modules.js';
import { zodProblems } from '../config/problems.js';
import { HarnessError, isHarnessError } from '../errors.js';

/**
 * An access adapter: how to list and call the fleet's tools through a SUT
 * that does not expose them directly (a code-mode or tool-search gateway,
 * with a few meta-tools such as `search_tools` and `call_tool`). A target
 * names it with `access: ./module.ts`; the module default-exports
 * `defineAccess({list, call})`. The harness then calls every logical
 * `server.tool` a check needs through `call`, and reads the SUT's catalogue
 * through `list`.
 */

/** One tool the adapter found: its name for `call`, and the logical `server.tool` when it knows it. */
export const AccessToolSchema = z
  .object({
    logical: z.string().min(1).optional().describe('server.tool; else mapped by the target naming rule'),
    name: z.string().min(1).describe('what `call` is given to reach this tool'),
    title: z.string().optional(),
    description: z.string().optional(),
    inputSchema: z.record(z.string(), z.unknown()).optional(),
    outputSchema: z.record(z.string(), z.unknown()).optional(),
    annotations: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type AccessTool = z.output<typeof AccessToolSchema>;

export const AccessListSchema = z.array(AccessToolSchema);

export interface AccessCallOptions {
  /** The logical `server.tool` being called, when known. */
  logical?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The `_meta` the check sends (traceparent, vendor keys, a progressToken): send it with the meta-tool call. */
  meta?: Record<string, unknown>;
  onprogress?: ProgressCallback;
}

export interface Access {
  /** Every tool reachable through the SUT's meta-tools. */
  list(client: Client): Promise<AccessTool[]>;
  /** Call one tool (a `name` from `list`) through the meta-tools; the downstream's result as it came. */
  call(
    client: Client,
    name: string,
    args: Record<string, unknown>,
    opts: AccessCallOptions,
  ): Promise<CallToolResult>;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
    message: `expected a function: ${what}`,
  });

export const AccessSchema = z.object({
  list: fn('list(client) → Promise<Array<{logical?, name, description?, inputSchema?}>>'),
  call: fn('call(client, name, args, opts) → Promise<CallToolResult>'),
});

/** Typed helper for access modules. */
export function defineAccess(access: Access): Access {
  return access;
}

/**
 * Load the access module a target names (relative to the target file's
 * directory): INVALID_CONFIG with the path when it is missing, does not
 * load, or does not export `{list, call}`.
 */
export async function loadAccess(file: string, baseDir: string): Promise<Access> {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  const problem = (message: string) =>
    new HarnessError('INVALID_CONFIG', `the target's access adapter ${path} is not usable`, {
      problems: [{ path: 'access', message }],
    });
  if (
    !(await exists(path).then(
      () => true,
      () => false,
    ))
  )
    throw problem(`cannot read ${path}`);
  let value: unknown;
  try {
    value = await importConfigModule(path, 'access');
  } catch (e) {
    if (!isHarnessError(e)) throw e;
    throw problem(e.message);
  }
  const parsed = AccessSchema.safeParse(value);
  if (!parsed.success) {
    throw new HarnessError('INVALID_CONFIG', `the target's access adapter ${path} is not usable`, {
      problems: zodProblems(parsed.error, ['access']).map((p) => ({
        path: p.path,
        message: `${p.message} (in ${path}: export default defineAccess({list, call}))`,
      })),
    });
  }
  return value as Access;
}
