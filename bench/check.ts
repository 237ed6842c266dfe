/**
 * bench:check — wall time of the gateway + http + security suites against the
 * reference gateway, start-up of the fleet and the SUT included. Every check
 * must pass (a failing check makes the time meaningless). Last line:
 * `gateway+http+security suites: 18.4 s`; exit 1 above 30 s.
 */
import { runChecks } from '../harness/checks/run-checks.js';
import { TargetSpecSchema } from '../harness/schema/target.js';
import { referenceGatewayTarget } from '../mocks/patterns/gateway/target.js';

const LIMIT_S = 30;

const target = TargetSpecSchema.parse(referenceGatewayTarget());

const t0 = performance.now();
const run = await runChecks({ target, suites: ['gateway', 'http', 'security'] });
const seconds = (performance.now() - t0) / 1000;
const counts = { pass: 0, fail: 0, warn: 0, skip: 0, blocked: 0 };
for (const r of run.results) counts[r.status]++;
const slowest = [...run.results].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
console.log(
  `${run.results.length} checks: ${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warned, ${counts.skip} skipped, ${counts.blocked} blocked`,
);
for (const r of slowest) console.log(`  slowest: ${r.id} ${(r.durationMs / 1000).toFixed(2)} s`);
for (const r of run.results.filter(
  (x) => x.status === 'fail' || x.status === 'warn' || x.status === 'blocked',
))
  console.log(`  ${r.status}: ${r.id} — ${r.observed}`);
console.log(`gateway+http+security suites: ${seconds.toFixed(1)} s`);
process.exitCode = run.error || counts.fail + counts.blocked > 0 || seconds > LIMIT_S ? 1 : 0;
