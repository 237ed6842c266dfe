import { dirname, resolve } from 'node:path';
import { readDataFile } from '../harness/config/load.js';
import { zodProblems } from '../harness/config/problems.js';
import { HarnessError, type Problem } from '../harness/errors.js';
import { type ModuleSpec, moduleOf } from './modules/registry.js';
import { ProbeConfigSchema, type ProbeConfigSpec } from './schema.js';
import { type ProbeTarget, resolveTarget } from './targets.js';

/** A loaded, checked config: what the daemon schedules and what `/probe` may reach. */
export interface ProbeConfig {
  file: string;
  defaults: ProbeConfigSpec['defaults'];
  allow: string[];
  /** Defined modules, file paths resolved against the config's folder. */
  modules: Record<string, ModuleSpec>;
  targets: ProbeTarget[];
}

export interface LoadProbeConfigOptions {
  /** Environment for `${ENV}` references in headers and stdio env; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Read and check a probe config; throws INVALID_CONFIG listing every problem (exit 2). */
export async function loadProbeConfig(
  file: string,
  options: LoadProbeConfigOptions = {},
): Promise<ProbeConfig> {
  return checkProbeConfig(await readDataFile(file), resolve(file), options);
}

/** Check config data (already parsed) as if read from `file`. */
export async function checkProbeConfig(
  raw: unknown,
  file: string,
  options: LoadProbeConfigOptions = {},
): Promise<ProbeConfig> {
  const baseDir = dirname(file);
  const problems: Problem[] = [];
  const parsed = ProbeConfigSchema.safeParse(raw);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  let config: ProbeConfig | undefined;
  if (parsed.success) {
    const spec = parsed.data;
    const modules: Record<string, ModuleSpec> = {};
    for (const [name, m] of Object.entries(spec.modules)) {
      const module = moduleOf(m.kind);
      const resolved = { ...m } as Record<string, unknown>;
      for (const key of module.paths ?? []) {
        if (typeof resolved[key] === 'string') resolved[key] = resolve(baseDir, resolved[key] as string);
      }
      modules[name] = resolved as ModuleSpec;
      if (module.check) problems.push(...(await module.check(resolved, `modules.${name}`)));
    }
    const targets: ProbeTarget[] = [];
    for (const [i, entry] of spec.targets.entries()) {
      const t = await resolveTarget(entry, i, spec, baseDir, options.env ?? process.env, problems);
      if (t) targets.push(t);
    }
    config = { file, defaults: spec.defaults, allow: spec.allow, modules, targets };
  }
  if (problems.length > 0 || !config) {
    throw new HarnessError(
      'INVALID_CONFIG',
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      {
        problems,
      },
    );
  }
  return config;
}
