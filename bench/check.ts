/**
 * bench:check — wall time of the gateway + http + security suites against the
 * reference gateway, start-up of the fleet and the SUT included: checks that
 * may share the SUT run concurrently (the default: on a second instance of the
 * SUT and fleet, while the others run one by one on the first) against every
 * check alone, in order (`concurrency: 1`), rounds alternated. Both must give
 * the same status for every check, and every check must pass (a failing check
 * makes the time meaningless). Last line, e.g.:
 * `gateway+http+security suites: 18.8 s (alone, in order: 24.3 s; 1.3× faster), results identical`;
 * exit 1 when results differ, a check does not pass, or the median is above 10 s.
 */
import { runChecks } from '../harness/checks/run-checks.js';
import { DEFAULT_CONCURRENCY } from '../harness/checks/schedule.js';
import type { CheckResult } from '../harness/schema/result.js';
import { TargetSpecSchema } from '../harness/schema/target.js';
import { referenceGatewayTarget } from '../mocks/patterns/gateway/target.js';

const LIMIT_S = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SUITES = ['gateway', 'http', 'security'];

const target = TargetSpecSchema.parse(referenceGatewayTarget());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const statuses = (rs: CheckResult[]) => rs.map((r) => `${r.id}=${r.status}`).join('\n');

async function once(concurrency: number) {
  const t0 = performance.now();
  const run = await runChecks({ target, suites: SUITES, concurrency });
  return { seconds: (performance.now() - t0) / 1000, run };
}

const times: Record<'together' | 'alone', number[]> = { together: [], alone: [] };
const seen = new Map<string, string>();
let last: Awaited<ReturnType<typeof once>> | undefined;
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which goes first, so machine noise hits both alike.
  const order = round % 2 === 0 ? (['together', 'alone'] as const) : (['alone', 'together'] as const);
  for (const mode of order) {
    const r = await once(mode === 'together' ? DEFAULT_CONCURRENCY : 1);
    times[mode].push(r.seconds);
    seen.set(`${mode} #${round + 1}`, statuses(r.run.results));
    if (mode === 'together') last = r;
    console.log(`round ${round + 1} ${mode.padEnd(8)} ${r.seconds.toFixed(1)} s`);
  }
}
const run = last?.run;
if (!run) throw new Error('no run');
const counts = { pass: 0, fail: 0, warn: 0, skip: 0, blocked: 0 };
for (const r of run.results) counts[r.status]++;
console.log(
  `${run.results.length} checks: ${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warned, ${counts.skip} skipped, ${counts.blocked} blocked`,
);
for (const r of [...run.results].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5))
  console.log(`  slowest: ${r.id} ${(r.durationMs / 1000).toFixed(2)} s`);
for (const r of run.results.filter(
  (x) => x.status === 'fail' || x.status === 'warn' || x.status === 'blocked',
))
  console.log(`  ${r.status}: ${r.id} — ${r.status === 'blocked' ? r.reason : r.observed}`);

const reference = [...seen.values()][0] as string;
const differing = [...seen.entries()].filter(([, s]) => s !== reference).map(([k]) => k);
for (const k of differing) {
  const a = reference.split('\n');
  const b = (seen.get(k) as string).split('\n');
  console.log(`  differs in ${k}: ${b.filter((x, i) => x !== a[i]).join(', ')}`);
}
const together = median(times.together);
const alone = median(times.alone);
console.log(
  `gateway+http+security suites: ${together.toFixed(1)} s (alone, in order: ${alone.toFixed(1)} s; ` +
    `${(alone / together).toFixed(1)}× faster), results ${differing.length === 0 ? 'identical' : 'DIFFER'}`,
);
process.exitCode =
  run.error || counts.fail + counts.blocked > 0 || differing.length > 0 || together > LIMIT_S ? 1 : 0;
