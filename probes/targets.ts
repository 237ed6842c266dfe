import { resolve } from 'node:path';
import type { Problem } from '../harness/errors.js';
import { isHarnessError } from '../harness/errors.js';
import { type Endpoint, loadTarget } from '../harness/schema/target.js';
import { envRefProblems } from '../harness/target/placeholders.js';
import type { ProbeConfigSpec, TargetEntry } from './schema.js';

/** One target as the daemon runs it: a resolved endpoint, its modules and its schedule. */
export interface ProbeTarget {
  name: string;
  endpoint: Endpoint;
  modules: string[];
  intervalMs: number;
  timeoutMs: number;
  maxBytes: number;
  labels: Record<string, string>;
}

/**
 * Resolve a target entry: its endpoint, or the endpoint of its target file (not a mesh, no
 * launch recipe: a probe reaches a running system). Missing environment variables are problems.
 */
export async function resolveTarget(
  entry: TargetEntry,
  index: number,
  config: ProbeConfigSpec,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  problems: Problem[],
): Promise<ProbeTarget | undefined> {
  const path = `targets[${index}]`;
  let endpoint = entry.endpoint;
  if (entry.target !== undefined) {
    try {
      const spec = await loadTarget(resolve(baseDir, entry.target));
      if (spec.pattern === 'mesh' || !spec.endpoint) {
        problems.push({
          path: `${path}.target`,
          message: 'expected a target with one endpoint (not a mesh)',
        });
      } else if (spec.launch) {
        problems.push({
          path: `${path}.target`,
          message: 'a probed target runs already: remove launch (probes never start the system)',
        });
      } else endpoint = spec.endpoint;
    } catch (e) {
      if (!isHarnessError(e)) throw e;
      problems.push({ path: `${path}.target`, message: e.message });
      for (const p of e.problems) problems.push({ path: `${path}.target: ${p.path}`, message: p.message });
    }
  }
  if (!endpoint) return undefined;
  if (endpoint.transport !== 'stdio' && /\{[A-Za-z][\w.-]*\}/.test(endpoint.url)) {
    problems.push({ path: `${path}.endpoint.url`, message: 'expected a URL without {placeholders}' });
  }
  const maps = endpoint.transport === 'stdio' ? { env: endpoint.env } : { headers: endpoint.headers };
  for (const [key, map] of Object.entries(maps))
    problems.push(...envRefProblems(map, `${path}.endpoint.${key}`, env));
  return {
    name: entry.name,
    endpoint,
    modules: entry.modules,
    intervalMs: entry.interval ?? config.defaults.interval,
    timeoutMs: entry.timeout ?? config.defaults.timeout,
    maxBytes: entry.maxBytes ?? config.defaults.maxBytes,
    labels: entry.labels,
  };
}
