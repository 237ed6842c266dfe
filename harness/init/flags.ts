import type { z } from 'zod';
import { zodProblems } from '../config/problems.js';
import { HarnessError, type Problem } from '../errors.js';

/**
 * Flags are input like a file: validated by a zod schema, every problem listed
 * with the flag it came from (exit 2). `names` maps a schema path prefix
 * (`portBase`, `endpoint.url`) to the flag that sets it (`--port-base`, `--url`).
 */
export function flagProblems(error: z.ZodError, names: Readonly<Record<string, string>>): Problem[] {
  return zodProblems(error).map((p) => ({ ...p, path: flagOf(p.path, names) }));
}

/** The flag a schema path came from: the longest mapped prefix, with what follows it kept. */
export function flagOf(path: string, names: Readonly<Record<string, string>>): string {
  const keys = Object.keys(names).sort((a, b) => b.length - a.length);
  const key = keys.find((k) => path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`));
  if (key === undefined) return path;
  const rest = path.slice(key.length);
  return rest ? `${names[key]} (${path})` : (names[key] as string);
}

/** Throw INVALID_ARGS listing every problem (nothing when the list is empty). */
export function throwFlagProblems(command: string, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new HarnessError(
    'INVALID_ARGS',
    `${command}: ${problems.length} problem${problems.length === 1 ? '' : 's'} with the flags`,
    { problems: [...problems] },
  );
}

/** Validate flags against a schema; INVALID_ARGS with every problem, named by flag. */
export function validateFlags<S extends z.ZodType>(
  command: string,
  schema: S,
  data: unknown,
  names: Readonly<Record<string, string>>,
): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throwFlagProblems(command, flagProblems(parsed.error, names));
  throw new Error('unreachable');
}
