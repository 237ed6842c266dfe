import { ERA_VERSION } from '../schema/era.js';
import { ERAS } from './era.js';
import { allChecks } from './registry.js';

/** Every check as a Markdown table (`mcp-harness check --list`; docs/checks.md is generated from it). */
export function checksTable(): string {
  const cell = (s: string) => s.replaceAll('|', '\\|').replace(/\s+/g, ' ');
  const eras = (c: (typeof checks)[number]) =>
    !c.eras || ERAS.every((e) => c.eras?.includes(e)) ? 'both' : c.eras.map((e) => ERA_VERSION[e]).join(', ');
  const checks = allChecks();
  const rows = checks.map(
    (c) =>
      `| \`${c.id}\` | ${c.severity} | ${eras(c)} | ${cell(c.title)} | ${cell(c.expected)} | ${cell(c.specRef)} |`,
  );
  return [
    '| id | severity | eras | title | expected | reference |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** What the statuses mean, for the head of docs/checks.md. */
export function statusLegend(): string {
  return [
    '| status | meaning | fails the run |',
    '|---|---|---|',
    '| `pass` | the check exercised its assertion and the SUT met it | no |',
    '| `fail` | a MUST is broken (observed vs expected says how) | yes |',
    '| `warn` | a SHOULD is broken | no |',
    '| `skip` | the target cannot be asked this (not HTTP, no replicas declared, the fleet lacks the server, the check is for the other protocol era) | no |',
    '| `blocked` | the SUT kept the check from running (a tool it needs is not exposed, a warm-up call failed, a name maps to two tools); the result names what blocked it | yes |',
  ].join('\n');
}
