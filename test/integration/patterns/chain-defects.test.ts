import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_DEFECT_NAMES, type ChainDefect, startChain } from '../../../mocks/patterns/chain/index.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';
import { CHAIN, connectUpstream, FLEET } from './chain-fixture.js';
import { PROBES, runProbes } from './chain-probes.js';

/**
 * Every `--defect` of the reference chain changes one behaviour, and only
 * that one: the chain without defects passes every probe (chain-probes.ts),
 * and each defect fails exactly the probe made for it, for the reason given here.
 */

const SHOWS: Record<ChainDefect, RegExp> = {
  'wrong-order': /^called chat\.post_message, repo\.search_code, tracker\.get_issue$/,
  'serial-fanout': /^at most 1 branch\(es\) in flight at once$/,
  'partial-swallowed': /^failed list undefined$/,
  'no-short-circuit': /^called after the failure: chat\.post_message$/,
  'unstructured-error': /^no structuredContent; text: Error: JSON-RPC error -32603: index corrupt$/,
  'error-as-success': /^isError undefined: step "code" \(server "repo", tool "search_code"\) failed/,
  'no-step-timeout': /^no answer within 1500 ms/,
  'shared-client': /^callers got (caller-\d, ){5}caller-\d$/,
  'no-trace': /^traceparent downstream: ,,$/,
  'args-mutated': /"_chain":\{"tool":"args","step":"a"\}/,
  'leak-internals': /^leaked "at /,
};

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet(FLEET);
});
afterAll(async () => {
  await fleet?.stop();
});

async function probeWith(defects: ChainDefect[]): Promise<Record<string, string>> {
  const chain = await startChain({ mcpServers: fleet.mcpServers(), chain: CHAIN, defects });
  const client = await connectUpstream(chain.url!);
  try {
    return await runProbes({ fleet, client });
  } finally {
    await client.close();
    await chain.close();
  }
}

describe('chain defects', () => {
  it('has one probe per defect, and every defect is covered', () => {
    expect(PROBES.map((p) => p.defect).sort()).toEqual([...CHAIN_DEFECT_NAMES].sort());
    expect(Object.keys(SHOWS).sort()).toEqual([...CHAIN_DEFECT_NAMES].sort());
  });

  it('without defects, the chain passes every probe', async () => {
    expect(await probeWith([])).toEqual({});
  });

  it.each(CHAIN_DEFECT_NAMES)('--defect %s fails exactly its own probe', async (defect) => {
    const failures = await probeWith([defect]);
    const own = PROBES.find((p) => p.defect === defect)!.name;
    expect(Object.keys(failures)).toEqual([own]);
    expect(failures[own]).toMatch(SHOWS[defect]);
  });

  it('rejects an unknown defect, naming the known ones', async () => {
    await expect(
      startChain({ mcpServers: fleet.mcpServers(), chain: CHAIN, defects: ['no-trace', 'typo'] }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGS',
      problems: [{ path: '--defect typo', message: expect.stringContaining('wrong-order') }],
    });
  });
});
