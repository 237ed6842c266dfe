/**
 * Argument references: `{{steps.fetch.text}}`, `{{steps.fetch.structured.issues[0].id}}`,
 * `{{vars.repo}}`, `{{iteration}}`. A string that is exactly one reference takes
 * the referenced value with its type (a number stays a number); references
 * inside longer strings are interpolated as text (objects as JSON).
 */

const REF_RE = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE_RE = /^\{\{\s*([^{}]+?)\s*\}\}$/;
const SEGMENT_RE = /^([A-Za-z0-9_:-]+)((?:\[\d+\])*)$/;

export type RefRoot = 'steps' | 'vars' | 'iteration' | 'run';

export interface Reference {
  /** The text between the braces. */
  source: string;
  root: RefRoot;
  /** For `steps`: the step name; for `vars`: the variable name. */
  name?: string;
  /** Keys and indexes after the root (and name). */
  path: Array<string | number>;
}

export interface RefProblem {
  /** Where in the arguments: `args.title`. */
  at: string;
  message: string;
}

/** What references resolve against while a scenario runs. */
export interface RefScope {
  steps: ReadonlyMap<string, unknown>;
  vars: Readonly<Record<string, unknown>>;
  iteration?: number;
  run: { id: string };
}

/** Parse `steps.fetch.structured.items[0].id` into a Reference; a string message on error. */
export function parseReference(source: string): Reference | string {
  const path: Array<string | number> = [];
  for (const seg of source.split('.')) {
    const m = SEGMENT_RE.exec(seg);
    if (!m) return `'${source}' is not a reference path (segments of [A-Za-z0-9_:-] with optional [N])`;
    path.push(m[1] as string);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  const [root, ...rest] = path;
  if (root === 'iteration') {
    return rest.length === 0 ? { source, root, path: [] } : `'${source}': iteration has no fields`;
  }
  if (root === 'run') return { source, root, path: rest };
  if (root === 'steps' || root === 'vars') {
    const [name, ...tail] = rest;
    if (typeof name !== 'string') return `'${source}' needs a name after ${root}.`;
    return { source, root, name, path: tail };
  }
  return `'${source}' must start with steps., vars., run. or be iteration`;
}

/** Every reference in a value (deep), with where it sits; unparsable ones become problems. */
export function collectReferences(
  value: unknown,
  at = 'args',
): { refs: Array<{ at: string; ref: Reference }>; problems: RefProblem[] } {
  const refs: Array<{ at: string; ref: Reference }> = [];
  const problems: RefProblem[] = [];
  walk(value, at, (text, where) => {
    for (const m of text.matchAll(REF_RE)) {
      const parsed = parseReference(m[1] as string);
      if (typeof parsed === 'string') problems.push({ at: where, message: parsed });
      else refs.push({ at: where, ref: parsed });
    }
  });
  return { refs, problems };
}

/** Resolve one reference; throws with a readable message when it points at nothing. */
export function resolveReference(ref: Reference, scope: RefScope): unknown {
  let base: unknown;
  if (ref.root === 'iteration') {
    if (scope.iteration === undefined) throw new Error(`{{${ref.source}}} is only defined inside repeat`);
    return scope.iteration;
  }
  if (ref.root === 'run') base = scope.run;
  else if (ref.root === 'vars') {
    if (!Object.hasOwn(scope.vars, ref.name as string)) throw new Error(`no variable '${ref.name}'`);
    base = scope.vars[ref.name as string];
  } else {
    if (!scope.steps.has(ref.name as string)) throw new Error(`step '${ref.name}' has no result yet`);
    base = scope.steps.get(ref.name as string);
  }
  let v = base;
  const walked: string[] = [ref.root, ...(ref.name ? [ref.name] : [])];
  for (const key of ref.path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) {
      throw new Error(
        `{{${ref.source}}}: ${walked.join('.')} has no ${typeof key === 'number' ? `[${key}]` : `'${key}'`}`,
      );
    }
    v = (v as Record<string | number, unknown>)[key];
    walked.push(String(key));
  }
  return v;
}

/** Render every reference in a value (deep), keeping the type of whole-string references. */
export function renderReferences<T>(value: T, scope: RefScope): T {
  return mapStrings(value, (text) => {
    const whole = WHOLE_RE.exec(text);
    if (whole) return resolveParsed(whole[1] as string, scope);
    return text.replace(REF_RE, (_m, src: string) => {
      const v = resolveParsed(src, scope);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }) as T;
}

/** Parsed references by source text: a scenario renders the same few templates on every call. */
const parsedRefs = new Map<string, Reference | string>();
const PARSED_MAX = 1_000;

function resolveParsed(source: string, scope: RefScope): unknown {
  let ref = parsedRefs.get(source);
  if (ref === undefined) {
    ref = parseReference(source.trim());
    if (parsedRefs.size >= PARSED_MAX) parsedRefs.clear();
    parsedRefs.set(source, ref);
  }
  if (typeof ref === 'string') throw new Error(ref);
  return resolveReference(ref, scope);
}

function walk(value: unknown, at: string, visit: (text: string, at: string) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(v, `${at}[${i}]`, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, visit);
  }
}

function mapStrings(value: unknown, fn: (text: string) => unknown): unknown {
  if (typeof value === 'string') return value.includes('{{') ? fn(value) : value;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}
