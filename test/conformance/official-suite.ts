import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`,
 * installed as conformance-2025 = 0.1.16 and conformance-2026 = 0.2.0-alpha)
 * against a server URL and reads its summary: one row per scenario. The suite
 * needs Node 22, which scripts/ensure-node22.sh provides.
 */

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** One run of the suite: which package, which revision's requirement set, which era it speaks. */
export interface SuiteRun {
  id: string;
  era: 'legacy' | 'modern';
  pkg: 'conformance-2025' | 'conformance-2026';
  /** `--requirements REVISION` (0.2.0 only); without it 0.1.16 runs its active suite. */
  requirements?: '2025-11-25' | '2026-07-28';
  label: string;
}

export const SUITE_RUNS: SuiteRun[] = [
  { id: '2025-0.1.16', era: 'legacy', pkg: 'conformance-2025', label: '0.1.16 (active suite)' },
  {
    id: '2025-11-25',
    era: 'legacy',
    pkg: 'conformance-2026',
    requirements: '2025-11-25',
    label: '0.2.0 --requirements 2025-11-25',
  },
  {
    id: '2026-07-28',
    era: 'modern',
    pkg: 'conformance-2026',
    requirements: '2026-07-28',
    label: '0.2.0 --requirements 2026-07-28',
  },
];

export interface ScenarioRow {
  scenario: string;
  passed: number;
  failed: number;
  ok: boolean;
  /** Why the suite runs it without scoring (extension, pending, added-after-release), when it does. */
  notScored?: string;
}

export interface SuiteOutcome {
  run: SuiteRun;
  exitCode: number | null;
  rows: ScenarioRow[];
  output: string;
}

let node22: string | undefined;
/** The Node 22 binary the suite needs (installed once by scripts/ensure-node22.sh). */
export function node22Path(): string {
  node22 ??= execFileSync(join(ROOT, 'scripts/ensure-node22.sh'), { encoding: 'utf8' }).trim();
  return node22;
}

/** The committed expected-failures baseline of one place (`direct`, `gateway`) and run. */
export function baselinePath(place: string, run: SuiteRun): string {
  return join(ROOT, 'test/conformance/expected-failures', `${place}-${run.id}.yaml`);
}

export async function runSuite(
  run: SuiteRun,
  url: string,
  opts: { expectedFailures?: string; deadlineMs?: number } = {},
): Promise<SuiteOutcome> {
  const args = [join(ROOT, 'node_modules', run.pkg, 'dist/index.js'), 'server', '--url', url];
  if (run.requirements) args.push('--requirements', run.requirements, '--timeout', '15000');
  if (opts.expectedFailures) args.push('--expected-failures', opts.expectedFailures);
  const cwd = await mkdtemp(join(tmpdir(), 'mcp-harness-conformance-'));
  try {
    const child = spawn(node22Path(), args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.deadlineMs ?? 90_000);
    const exitCode = await new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    clearTimeout(timer);
    const rows = parseSummary(output);
    // With a baseline the summary omits its "Not scored" list: the requirement set says it.
    const notScored = run.requirements ? notScoredIn(run) : new Map<string, string>();
    for (const row of rows) row.notScored ??= notScored.get(row.scenario);
    return { run, exitCode, rows, output };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

/** The suite's `=== SUMMARY ===` lines and its "Not scored" list, as rows. */
export function parseSummary(output: string): ScenarioRow[] {
  const plain = stripVTControlCharacters(output);
  const rows = new Map<string, ScenarioRow>();
  const summary = plain.slice(plain.indexOf('=== SUMMARY ==='));
  for (const m of summary.matchAll(/^([✓✗]) ([\w./-]+): (\d+) passed, (\d+) failed$/gm)) {
    rows.set(m[2]!, { scenario: m[2]!, passed: Number(m[3]), failed: Number(m[4]), ok: m[1] === '✓' });
  }
  const notScored = summary.slice(summary.indexOf('Not scored'));
  for (const m of notScored.matchAll(/^\s+[✓✗] ([\w./-]+) \(([\w-]+)\)$/gm)) {
    const row = rows.get(m[1]!);
    if (row) row.notScored = m[2];
  }
  return [...rows.values()];
}

/** The scenarios a requirement set runs without scoring, with the reason (`list --requirements`). */
export function notScoredIn(run: SuiteRun): Map<string, string> {
  const listed = execFileSync(
    node22Path(),
    [join(ROOT, 'node_modules', run.pkg, 'dist/index.js'), 'list', '--requirements', run.requirements!],
    { encoding: 'utf8' },
  );
  const out = new Map<string, string>();
  const part = listed.slice(listed.indexOf('never scored'));
  let reason = '';
  for (const line of part.split('\n')) {
    const heading = /^\s+([\w-]+) \(\d+\):$/.exec(line);
    if (heading) reason = heading[1]!;
    const item = /^\s+- ([\w./-]+)/.exec(line);
    if (item && reason) out.set(item[1]!, reason);
  }
  return out;
}
