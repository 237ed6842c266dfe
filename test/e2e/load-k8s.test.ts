import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { LoadReportSchema } from '../../harness/schema/load.js';
import { BIN, ROOT } from '../helpers/cli.js';

/**
 * The Kubernetes example (docs/examples/k8s) run on one machine: the fleet
 * Deployment's command, the Indexed Job's shard command for every
 * JOB_COMPLETION_INDEX at once, then the merge Job's wait and merge commands —
 * as written, with only the cluster's names, paths and sizes swapped for local ones.
 */
const K8S = join(ROOT, 'docs/examples/k8s');
// biome-ignore lint/suspicious/noExplicitAny: Kubernetes manifests, read as plain YAML data
type Doc = Record<string, any>;

async function manifests(file: string): Promise<Doc[]> {
  return parseAllDocuments(await readFile(join(K8S, file), 'utf8')).map((d) => d.toJS() as Doc);
}

let dir: string;
let fleet: ChildProcess | undefined;
let controlUrl: string;

/** The cluster's names and paths → this machine's; the sizes of the run → a second's worth. */
function local(command: string): string {
  return command
    .replaceAll('npx --yes mcp-harness', `"${process.execPath}" "${BIN}"`)
    .replaceAll('/config/', `${dir}/config/`)
    .replaceAll('/reports', `${dir}/reports`)
    .replaceAll('http://mcp-fleet:47100', controlUrl)
    .replace(
      '--rate 4000/s --duration 60s --max-in-flight 2048',
      '--rate 40/s --duration 1s --max-in-flight 64',
    )
    .replace('--no-progress', '--no-progress --workers 1');
}

function sh(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn('sh', ['-c', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    out += c;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return once(child, 'exit').then(([code]) => {
    clearTimeout(timer);
    return { code: code as number | null, out };
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'load-k8s-'));
  await mkdir(join(dir, 'config'));
  const [configMap] = await manifests('target-configmap.yaml');
  await writeFile(join(dir, 'config/fleet.yaml'), configMap?.data['fleet.yaml']);
  // The cluster's gateway is not here: the shards load the mock through a mesh target instead.
  await writeFile(join(dir, 'config/target.yaml'), 'name: local-mesh\npattern: mesh\nfromFleet: true\n');
  const [deployment] = await manifests('fleet.yaml');
  const argv: string[] = deployment?.spec.template.spec.containers[0].command;
  expect(argv.slice(0, 4)).toEqual(['npx', '--yes', 'mcp-harness', 'mock']);
  const args = argv
    .slice(3)
    .map((a) =>
      a
        .replace('/config/', `${dir}/config/`)
        .replace('0.0.0.0', '127.0.0.1')
        .replace('mcp-fleet', '127.0.0.1'),
    )
    .filter((a, i, all) => a !== '--port-base' && all[i - 1] !== '--port-base');
  fleet = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: fleet.stdout as NodeJS.ReadableStream });
  let timer: NodeJS.Timeout | undefined;
  controlUrl = await new Promise<string>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the fleet printed no control API within 15 s')), 15_000);
    lines.on('line', (line) => {
      const m = /^control API\s+(\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  }).finally(() => clearTimeout(timer));
}, 30_000);

afterAll(async () => {
  if (fleet && fleet.exitCode === null) {
    fleet.kill('SIGTERM');
    await once(fleet, 'exit');
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the Kubernetes example', () => {
  it('runs every shard of the Indexed Job at once, then the merge Job, into one report', async () => {
    const [shardJob] = await manifests('load-shards-job.yaml');
    const [mergeJob] = await manifests('merge-job.yaml');
    expect(shardJob?.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const container = shardJob?.spec.template.spec.containers[0];
    const env = Object.fromEntries(
      container.env.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(Number(env.SHARDS)).toBe(shardJob?.spec.completions);
    const script = local(container.args[0]);
    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, i) => sh(script, { ...env, JOB_COMPLETION_INDEX: String(i) })),
    );
    for (const [i, r] of runs.entries()) {
      expect(r.out).not.toContain('error [');
      expect(r.code).toBe(0);
      const shard = LoadReportSchema.parse(
        JSON.parse(await readFile(join(dir, `reports/shard-${i}/load-report.json`), 'utf8')),
      );
      expect(shard.shard).toEqual({ index: i + 1, count: 4 });
      expect(shard.scheduled).toBe(10);
    }

    const spec = mergeJob?.spec.template.spec;
    const mergeEnv = Object.fromEntries(
      spec.initContainers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(mergeEnv.SHARDS).toBe(env.SHARDS);
    const wait = await sh(local(spec.initContainers[0].args[0]), mergeEnv);
    expect(wait.code).toBe(0);
    const merge = await sh(local(spec.containers[0].args[0]), {});
    expect(merge.out).toContain('4 shards merged');
    expect(merge.code).toBe(0);
    const merged = LoadReportSchema.parse(
      JSON.parse(await readFile(join(dir, 'reports/merged/load-report.json'), 'utf8')),
    );
    expect(merged).toMatchObject({ shardsMerged: 4, scheduled: 40, options: { rate: 40 } });
    expect(merged.completed).toBe(runs.length * 10 - merged.dropped);
  }, 60_000);
});
