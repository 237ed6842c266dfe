import type { z } from 'zod';
import type { Problem } from '../errors.js';

/** Render a zod path as `servers[0].tools[1].name`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/**
 * Flatten every zod issue into a Problem. Union failures are expanded to the
 * branch that got furthest, so users see "expected number" rather than "invalid input".
 */
export function zodProblems(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) collect(issue as z.core.$ZodIssue, [...prefix], problems);
  return dedupe(problems);
}

function collect(issue: z.core.$ZodIssue, prefix: PropertyKey[], out: Problem[]): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Pick the branch with the deepest issue path: that is the branch the user meant.
    const branches = issue.errors.map((issues) => ({
      issues,
      depth: Math.max(0, ...issues.map((i) => i.path.length)),
    }));
    branches.sort((a, b) => b.depth - a.depth);
    const best = branches[0];
    if (best && best.depth > 0) {
      for (const sub of best.issues) collect(sub, path, out);
      return;
    }
  }
  out.push({ path: formatPath(path), message: describe(issue) });
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod only carries the input when asked to; without it, say what was expected.
      if (!('input' in issue)) return `expected ${issue.expected}`;
      return issue.input === undefined
        ? `expected ${issue.expected} (missing)`
        : `expected ${issue.expected}, got ${typeOf(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
