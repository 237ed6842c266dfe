import { HarnessError, type Problem } from '../errors.js';

/**
 * `{name}` placeholders in target files: `{port}`, `{mcpServersFile}`,
 * `{workDir}`, `{fleet.NAME.url}` (a running scenario's mocks) and any extra key
 * the caller passes. Only `{identifier}` (dotted segments allowed) is a
 * placeholder, so JSON braces and regex quantifiers (`\d{2}`) pass through, and
 * `${NAME}` is left alone (that syntax is the environment reference of header values).
 */
export type Placeholders = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /(?<!\$)\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\}/g;

/** Names of the placeholders a template uses, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** Render one template; an unknown placeholder throws INVALID_CONFIG naming it (and `path`, if given). */
export function renderTemplate(template: string, values: Placeholders, path = ''): string {
  const problems = templateProblems(template, values, path);
  if (problems.length > 0) throw placeholderError(problems);
  return template.replace(PLACEHOLDER, (_m, name: string) => String(values[name]));
}

/** Problems of one template: one per unknown placeholder. */
export function templateProblems(template: string, values: Placeholders, path = ''): Problem[] {
  return placeholdersIn(template)
    .filter((name) => !Object.hasOwn(values, name))
    .map((name) => ({ path, message: `unknown placeholder {${name}} (known: ${known(values)})` }));
}

/**
 * Render every string inside plain data (objects, arrays) and collect every
 * unknown placeholder with its path before throwing, so one error lists them all.
 * Object keys are not rendered.
 */
export function renderDeep<T>(data: T, values: Placeholders, path = ''): T {
  const problems: Problem[] = [];
  const out = walk(data, values, path, problems);
  if (problems.length > 0) throw placeholderError(problems);
  return out as T;
}

function walk(data: unknown, values: Placeholders, path: string, problems: Problem[]): unknown {
  if (typeof data === 'string') {
    const p = templateProblems(data, values, path);
    if (p.length > 0) {
      problems.push(...p);
      return data;
    }
    return data.replace(PLACEHOLDER, (_m, name: string) => String(values[name]));
  }
  if (Array.isArray(data)) return data.map((v, i) => walk(v, values, `${path}[${i}]`, problems));
  if (data !== null && typeof data === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) out[k] = walk(v, values, path ? `${path}.${k}` : k, problems);
    return out;
  }
  return data;
}

function known(values: Placeholders): string {
  const names = Object.keys(values);
  return names.length > 0 ? names.map((n) => `{${n}}`).join(', ') : 'none';
}

function placeholderError(problems: Problem[]): HarnessError {
  const n = problems.length;
  return new HarnessError('INVALID_CONFIG', `${n} unknown placeholder${n === 1 ? '' : 's'}`, { problems });
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Resolve `${ENV_NAME}` references in each value of a string map (header values,
 * stdio env values). Every missing variable is one INVALID_CONFIG problem with its path.
 */
export function resolveEnvRefs(
  map: Readonly<Record<string, string>>,
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const problems = envRefProblems(map, path, env);
  if (problems.length > 0) {
    throw new HarnessError('INVALID_CONFIG', `${problems.length} missing environment variable(s)`, {
      problems,
    });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map))
    out[k] = v.replace(ENV_REF, (_m, name: string) => env[name] as string);
  return out;
}

export function envRefProblems(
  map: Readonly<Record<string, string>>,
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Problem[] {
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(map)) {
    for (const m of v.matchAll(ENV_REF)) {
      const name = m[1] as string;
      if (env[name] === undefined) {
        problems.push({ path: `${path}.${k}`, message: `environment variable ${name} is not set` });
      }
    }
  }
  return problems;
}
