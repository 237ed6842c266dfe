import fleetSpec from '../../mocks/conformance/official-fleet.js';
import { startGateway } from '../../mocks/patterns/gateway/index.js';
import { createFleet } from '../../mocks/server/fleet.js';
import { expectedFailures } from './direct.js';
import { baselinePath, runSuite, SUITE_RUNS, type SuiteOutcome } from './official-suite.js';
import type { Column, ColumnRuns } from './table.js';

/**
 * Every suite run through the reference gateway (identity naming: the fixture
 * names pass unchanged) in front of the fixture fleet, with the committed
 * gateway baselines: the Gateway columns of the table. `baselines: false`
 * runs without them (to see every failure while writing one).
 */
export async function runGateway(
  opts: { baselines?: boolean } = {},
): Promise<{ outcomes: SuiteOutcome[]; columns: Partial<Record<Column, ColumnRuns>> }> {
  const fleet = createFleet(fleetSpec);
  await fleet.start();
  const gateway = await startGateway({
    mcpServers: fleet.mcpServers() as unknown as Record<string, unknown>,
    settings: { prefix: '', timeoutMs: 10_000 },
    log: () => {},
  }).catch(async (e: unknown) => {
    await fleet.stop();
    throw e;
  });
  try {
    const url = gateway.url!;
    const outcomes = await Promise.all(
      SUITE_RUNS.map((run) =>
        runSuite(
          run,
          url,
          opts.baselines === false ? {} : { expectedFailures: baselinePath('gateway', run) },
        ),
      ),
    );
    const expected = opts.baselines === false ? new Set<string>() : await expectedFailures('gateway');
    const era = (e: 'legacy' | 'modern') => outcomes.filter((o) => o.run.era === e);
    return {
      outcomes,
      columns: {
        'Gateway legacy': { outcomes: era('legacy'), expected },
        'Gateway modern': { outcomes: era('modern'), expected },
      },
    };
  } finally {
    await gateway.close();
    await fleet.stop();
  }
}
