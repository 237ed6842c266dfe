import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import fleetSpec, { OFFICIAL_CONFORMANCE_SERVER } from '../../mocks/conformance/official-fleet.js';
import { createFleet } from '../../mocks/server/fleet.js';
import { baselinePath, runSuite, SUITE_RUNS, type SuiteOutcome, type SuiteRun } from './official-suite.js';
import type { Column, ColumnRuns } from './table.js';

/** `run-id:scenario` for every entry of the committed baselines of one place. */
export async function expectedFailures(place: string, runs: SuiteRun[] = SUITE_RUNS): Promise<Set<string>> {
  const out = new Set<string>();
  for (const run of runs) {
    const doc = parse(await readFile(baselinePath(place, run), 'utf8')) as { server?: string[] } | null;
    for (const s of doc?.server ?? []) out.add(`${run.id}:${s}`);
  }
  return out;
}

/**
 * Every suite run directly against the fixture fleet served by one mock
 * (dual era), with the committed baselines: the Direct columns of the table.
 */
export async function runDirect(): Promise<{
  outcomes: SuiteOutcome[];
  columns: Partial<Record<Column, ColumnRuns>>;
}> {
  const fleet = createFleet(fleetSpec);
  await fleet.start();
  try {
    const url = (fleet.mcpServers().mcpServers[OFFICIAL_CONFORMANCE_SERVER] as { url: string }).url;
    // One at a time: the stateless scenario's stream checks are timing-sensitive on a loaded machine.
    const outcomes: SuiteOutcome[] = [];
    for (const run of SUITE_RUNS)
      outcomes.push(await runSuite(run, url, { expectedFailures: baselinePath('direct', run) }));
    const expected = await expectedFailures('direct');
    const era = (e: 'legacy' | 'modern') => outcomes.filter((o) => o.run.era === e);
    return {
      outcomes,
      columns: {
        'Direct legacy': { outcomes: era('legacy'), expected },
        'Direct modern': { outcomes: era('modern'), expected },
      },
    };
  } finally {
    await fleet.stop();
  }
}
