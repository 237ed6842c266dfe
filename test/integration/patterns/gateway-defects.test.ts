import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetInput } from '../../../harness/schema/fleet.js';
import { DEFECT_NAMES } from '../../../mocks/patterns/gateway/defects.js';
import { CATALOGUE_CASES, type DefectCase, type Probe } from './gateway-defect-cases.js';
import { RUNTIME_CASES } from './gateway-defect-runtime.js';
import { type FleetHandle, fleetWithFile, type GatewayHandle, gatewayOn } from './gateway-setup.js';

/**
 * Each `--defect` switch changes exactly the behaviour it names: every case
 * runs the same probe against a correct gateway and against one with the
 * defect on, over the same mock fleet, and states both observations.
 */

const tool = (name: string, result: Record<string, unknown> = { echo: true }) => ({ name, result });
const DEFECT_FLEET: FleetInput = {
  seed: 11,
  servers: [
    {
      name: 'search',
      transport: 'http',
      pageSize: 2,
      tools: [
        {
          name: 'query',
          inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
          annotations: { readOnlyHint: true },
          result: { text: 'search for {{args.q}}' },
        },
        tool('echo'),
        tool('fail', { text: 'boom', isError: true }),
        {
          name: 'slow',
          progress: { steps: 3, intervalMs: 10 },
          logs: [{ level: 'info', data: 'working' }],
          result: { text: 'done' },
        },
        tool('stuck'),
      ],
      resources: [{ uri: 'search://index', name: 'index', text: 'the index' }],
      prompts: [{ name: 'summarize', messages: [{ role: 'user', text: 'Summarize' }] }],
    },
    {
      name: 'issues',
      transport: 'http',
      tools: [tool('query', { text: 'issues for {{args.q}}' }), tool('get', { text: 'issue {{args.id}}' })],
      resources: [{ uri: 'issues://labels', name: 'labels', text: '["bug"]' }],
      prompts: [{ name: 'triage', messages: [{ role: 'user', text: 'Triage it' }] }],
    },
    { name: 'r1', transport: 'http', tools: [tool('q', { text: 'from r1' })] },
    { name: 'r2', transport: 'http', tools: [tool('q', { text: 'from r2' })] },
  ],
};

const DEFECT_CASES = [...CATALOGUE_CASES, ...RUNTIME_CASES];

let f: FleetHandle;
beforeAll(async () => {
  f = await fleetWithFile(DEFECT_FLEET);
});
afterAll(async () => {
  await f?.stop();
});

/** Run a probe against a fresh gateway (with `defects`), with the case's setup around it. */
async function observe(c: DefectCase, defects: string[]): Promise<unknown> {
  const ctx = { fleet: f.fleet, mock: (n: string) => f.fleet.mocks.get(n)! };
  await c.before?.(ctx);
  let g: GatewayHandle | undefined;
  try {
    g = await gatewayOn(f.fleet, f.file, {
      defects,
      gateway: { pageSize: 3, timeoutMs: 1500, replicas: { rep: ['r1', 'r2'] } },
    });
    let client: Client | undefined;
    const probe: Probe = c.probe;
    return await probe({ ...ctx, g, client: async () => (client ??= await g!.connect()) });
  } finally {
    await g?.stop();
    await c.after?.(ctx);
  }
}

describe('defects', () => {
  it('every registered defect has a case here or is covered elsewhere', () => {
    // Shown by the check that catches them (test/negative/gateway-catalogue.test.ts), or by gateway-requests.
    const elsewhere = [
      'sampling-fabricated',
      'legacy-version-only',
      'capabilities-overclaimed',
      'content-dropped',
      'malformed-poisons',
      // test/negative/gateway-capabilities.test.ts and test/negative/http.test.ts
      'completion-dropped',
      'subscribe-dropped',
      'no-host-check',
      'no-resume',
      'error-id-null',
      // test/negative/gateway-resilience.test.ts and gateway-catalogue.test.ts
      'iserror-first-block-only',
      'added-tool-unroutable',
      'calls-before-ready-fail',
      'outage-silent',
      'idle-sessions-kept',
      'respawn-unserved',
      // test/negative/defect-table.test.ts (every defect against every gateway suite)
      'version-echoed',
      'tool-unlisted',
      // test/integration/patterns/era-gateway.test.ts and test/negative/era.test.ts (protocol eras)
      'modern-unserved',
      'method-header-ignored',
      'mrtr-unbridged',
      'legacy-downstream-only',
      'input-required-unfulfilled',
      'request-state-dropped',
      'result-type-dropped',
      'legacy-backends-hidden',
      'modern-backends-hidden',
      'stream-close-ignored',
      'log-level-ignored',
      'cache-hints-widened',
      'listen-silent',
      'modern-stateful',
    ];
    const covered = new Set([...DEFECT_CASES.map((c) => c.defect), ...elsewhere]);
    expect(DEFECT_NAMES.filter((n) => !covered.has(n))).toEqual([]);
  });

  for (const c of DEFECT_CASES) {
    it(`${c.defect}: ${c.shows}`, async () => {
      expect(await observe(c, [])).toEqual(c.correct);
      expect(await observe(c, [c.defect])).toEqual(c.defective);
    });
  }

  it('a defect is off unless asked for, and unknown names are refused', async () => {
    await expect(gatewayOn(f.fleet, f.file, { defects: ['no-such-defect'] })).rejects.toThrow(
      /unknown defect/,
    );
  });
});
