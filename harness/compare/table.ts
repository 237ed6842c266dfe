import { formatDuration } from '../report/format.js';
import type { CompareResult, FaultResult, PatternResult, SignedPercentiles, UnitResult } from './schema.js';

/**
 * The side-by-side table every compare report shows (console and HTML): a
 * header row of targets, then one row per measure (workflow and per-step
 * latency, downstream and overhead, round trips, bytes, catalogue cost, each
 * fault), one cell per pattern.
 */
export function compareRows(result: CompareResult): string[][] {
  const rows: string[][] = [];
  const cols = result.patterns;
  const row = (label: string, cell: (p: PatternResult) => string) => rows.push([label, ...cols.map(cell)]);
  row('', (p) => p.target);
  row('pattern', (p) => `${p.pattern}${p.status === 'pass' ? '' : ' (FAILED)'}`);
  row('workflow p50/p95/p99', (p) => (p.workflows ? triple(p.workflow) : '—'));
  for (const s of result.steps) {
    row(`  ${s.name} (${s.tool})`, (p) => {
      const unit = p.units.find((u) => u.steps.includes(s.name));
      if (!unit || !p.workflows) return '—';
      return unit.steps.length > 1 ? `in ${unit.name}` : triple(unit);
    });
  }
  const composites = [
    ...new Set(cols.flatMap((p) => p.units.filter((u) => u.steps.length > 1).map((u) => u.name))),
  ];
  for (const name of composites) {
    row(`  ${name} (composite)`, (p) => {
      const unit = p.units.find((u) => u.name === name);
      return unit && p.workflows ? triple(unit) : '—';
    });
  }
  row('downstream p50 (mean)', (p) => (p.workflows ? signedCell(p.workflow.downstream) : '—'));
  row('overhead p50 (mean)', (p) => (p.workflows ? signedCell(p.workflow.overhead) : '—'));
  row('requests sent / workflow', (p) => String(p.roundTrips.client));
  row('requests at mocks / workflow', (p) => String(p.roundTrips.downstream));
  row('  of which tools/call', (p) => String(p.roundTrips.downstreamToolCalls));
  row('bytes sent/recv / workflow', (p) => `${Math.round(p.bytes.sent)} / ${Math.round(p.bytes.received)}`);
  row('catalogue tools', (p) => String(p.catalogue.tools));
  row('catalogue tokens (bytes)', (p) => `${p.catalogue.tokens} (${p.catalogue.bytes} B)`);
  const faults = [...new Set(cols.flatMap((p) => p.faults.map((f) => f.fault)))];
  for (const flag of faults) {
    const of = (p: PatternResult) => p.faults.find((f) => f.fault === flag);
    row(`fault ${flag}: client sees`, (p) => faultSeen(of(p)));
    row('  others still answer', (p) => {
      const f = of(p);
      return f ? (f.others.total ? `${f.others.ok}/${f.others.total}` : 'n/a (one unit)') : '—';
    });
  }
  return rows;
}

function triple(u: UnitResult): string {
  const l = u.latency;
  const failed = u.failures ? ` ✗${u.failures}` : '';
  return `${formatDuration(l.p50)} / ${formatDuration(l.p95)} / ${formatDuration(l.p99)}${failed}`;
}

function signedCell(s: SignedPercentiles): string {
  return s.count ? `${formatDuration(s.p50)} (${formatDuration(s.mean)})` : '—';
}

function faultSeen(f: FaultResult | undefined): string {
  if (!f) return '—';
  if (f.seen === 'none') return 'nothing (all ok)';
  return `${f.seen} after ${formatDuration(f.timeToErrorUs ?? 0)}`;
}
