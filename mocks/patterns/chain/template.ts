/**
 * Templates in a chain file: `{{input.x}}` (the composite tool's arguments),
 * `{{steps.<id>.text}}` (the concatenated text content of an earlier step) and
 * `{{steps.<id>.structured.<path>}}` (its structuredContent, or a part of it).
 *
 * A string that is exactly one `{{…}}` takes the referenced value with its
 * type (a number stays a number, an object stays an object); a missing value
 * drops the key. Inside a longer string, values are interpolated (strings as
 * they are, anything else as JSON, missing as the empty string).
 */

const EXPR = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]+?)\s*\}\}$/;
const PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** What an earlier step left for later templates. */
export interface StepOutput {
  text: string;
  structured?: unknown;
}

export interface TemplateScope {
  input: Record<string, unknown>;
  steps: Map<string, StepOutput>;
}

/** A parsed reference: where it points and, for steps, which step. */
export type Reference =
  | { root: 'input'; path: string[] }
  | { root: 'steps'; step: string; field: 'text' | 'structured'; path: string[] };

/** Parse one expression (the text between the braces); a string is the reason it is invalid. */
export function parseReference(expr: string): Reference | string {
  if (!PATH.test(expr)) return `invalid expression '${expr}' (expected input.<path> or steps.<id>.text)`;
  const [root, ...rest] = expr.split('.');
  if (root === 'input') return { root, path: rest };
  if (root === 'steps') {
    const [step, field, ...path] = rest;
    if (!step || (field !== 'text' && field !== 'structured'))
      return `invalid expression '${expr}' (expected steps.<id>.text or steps.<id>.structured[.<path>])`;
    if (field === 'text' && path.length > 0) return `invalid expression '${expr}' (text has no fields)`;
    return { root, step, field, path };
  }
  return `unknown root '${root}' in '${expr}' (expected input or steps)`;
}

/** Every `{{…}}` expression in a JSON value, with the path of the string holding it. */
export function expressionsIn(
  value: unknown,
  at: PropertyKey[] = [],
): Array<{ expr: string; at: PropertyKey[] }> {
  if (typeof value === 'string') return [...value.matchAll(EXPR)].map((m) => ({ expr: m[1] as string, at }));
  if (Array.isArray(value)) return value.flatMap((v, i) => expressionsIn(v, [...at, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => expressionsIn(v, [...at, k]));
  return [];
}

function lookup(ref: Reference, scope: TemplateScope): unknown {
  let v: unknown;
  if (ref.root === 'input') v = scope.input;
  else {
    const out = scope.steps.get(ref.step);
    if (!out) return undefined;
    if (ref.field === 'text') return out.text;
    v = out.structured;
  }
  for (const key of ref.path)
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function resolve(expr: string, scope: TemplateScope): unknown {
  const ref = parseReference(expr);
  return typeof ref === 'string' ? undefined : lookup(ref, scope);
}

/** Render a string: a whole-value reference keeps its type, otherwise interpolate. */
export function renderString(text: string, scope: TemplateScope): unknown {
  const whole = WHOLE.exec(text);
  if (whole) return resolve(whole[1] as string, scope);
  return text.replace(EXPR, (_m, expr: string) => {
    const v = resolve(expr, scope);
    if (v === undefined) return '';
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/** Render every string of a JSON value; keys whose value is missing are dropped. */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope)).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = renderValue(v, scope);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return value;
}

/** Render a step's arguments object. */
export function renderArguments(
  args: Record<string, unknown>,
  scope: TemplateScope,
): Record<string, unknown> {
  return renderValue(args, scope) as Record<string, unknown>;
}
