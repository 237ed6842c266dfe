import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../harness/runner/run-scenario.js';
import type { ScenarioResult, StepResult } from '../../../harness/schema/result.js';

/** Each pattern end to end over real mocks: direct, mesh, and gateway/chain through small test SUTs. */

const sut = (file: string) => fileURLToPath(new URL(`../../fixtures/sut/${file}`, import.meta.url));

const fleet = {
  servers: [
    {
      name: 'tracker',
      transport: 'http',
      tools: [{ name: 'get_issue', result: { text: 'Issue {{args.id}}: crash on empty config' } }],
      faults: [{ type: 'latency', ms: 5 }],
    },
    { name: 'chat', transport: 'sse', tools: [{ name: 'post_message', result: { echo: true } }] },
  ],
};

const stdioSut = (file: string, ...extra: string[]) => ({
  transport: 'stdio',
  command: process.execPath,
  args: [sut(file), '--servers', '{mcpServersFile}', ...extra],
});

function calls(result: ScenarioResult): StepResult[] {
  return result.steps.filter((s) => s.kind === 'call');
}

function expectAttributed(result: ScenarioResult, method: string): void {
  for (const s of calls(result)) {
    expect(s.attribution, s.name).toBe(method);
    expect(s.downstreamUs, s.name).toBeGreaterThan(0);
    expect(s.downstreamUs!, s.name).toBeLessThanOrEqual(s.durationUs);
  }
}

describe('patterns end to end', () => {
  it('direct: one server, reached through its URL placeholder', async () => {
    const result = await runScenario({
      fleet,
      target: { pattern: 'direct', endpoint: { transport: 'http', url: '{fleet.tracker.url}' } },
      steps: [
        { call: 'tracker.get_issue', args: { id: 1 }, expect: { text: 'Issue 1', servedBy: 'tracker' } },
      ],
    });
    expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    expect(result.pattern).toBe('direct');
    expectAttributed(result, 'traceparent');
    expect(result.propagation).toBeUndefined();
  });

  it('mesh: the harness connects to every fleet server (http and sse)', async () => {
    const result = await runScenario({
      fleet,
      steps: [
        { call: 'tracker.get_issue', args: { id: 2 }, expect: { servedBy: 'tracker' } },
        { call: 'chat.post_message', args: { text: 'hi' }, expect: { servedBy: 'chat', text: 'hi' } },
      ],
    });
    expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    expect(result.pattern).toBe('mesh');
    expectAttributed(result, 'traceparent');
    expect(Object.keys(result.baselineUs ?? {}).sort()).toEqual(['http', 'sse']);
  });

  it('gateway: a launched SUT aggregating the fleet; trace context and arguments propagate', async () => {
    const result = await runScenario({
      fleet,
      target: { pattern: 'gateway', endpoint: stdioSut('mini-gateway.mjs') },
      steps: [
        { call: 'tracker.get_issue', args: { id: 3 }, expect: { text: 'Issue 3', servedBy: 'tracker' } },
        { call: 'chat.post_message', args: { text: 'to chat' }, expect: { servedBy: 'chat' } },
      ],
    });
    expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    expectAttributed(result, 'traceparent');
    expect(result.propagation).toEqual({ traceContext: true, argumentsUnchanged: true });
  });

  it('gateway that drops _meta: attributed by tool and arguments, reported as not propagating', async () => {
    const result = await runScenario({
      fleet,
      target: { pattern: 'gateway', endpoint: stdioSut('mini-gateway.mjs', '--strip-meta') },
      steps: [{ call: 'tracker.get_issue', args: { id: 4 }, expect: { servedBy: 'tracker' } }],
    });
    expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    expectAttributed(result, 'match');
    expect(result.propagation).toEqual({ traceContext: false, argumentsUnchanged: true });
  });

  it('gateway with attribution: argument adds a unique value to the arguments', async () => {
    const result = await runScenario({
      fleet,
      attribution: 'argument',
      target: { pattern: 'gateway', endpoint: stdioSut('mini-gateway.mjs', '--strip-meta') },
      steps: [{ call: 'tracker.get_issue', args: { id: 5 }, expect: { servedBy: 'tracker' } }],
    });
    expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    expectAttributed(result, 'argument');
  });

  it('chain: one composite call split over its downstream steps', async () => {
    const result = await runScenario({
      fleet: {
        servers: [
          { ...fleet.servers[0]!, faults: [{ type: 'latency', ms: 10 }] },
          { name: 'chat', transport: 'http', tools: [{ name: 'post_message', result: { echo: true } }] },
        ],
      },
      target: { pattern: 'chain', endpoint: stdioSut('mini-chain.mjs') },
      steps: [{ call: 'triage', args: { id: 6 }, expect: { text: 'posted', servedBy: 'chat' } }],
    });
    expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    expectAttributed(result, 'traceparent');
    const step = calls(result)[0]!;
    // Two sequential downstream calls: the tracker's 10 ms latency is inside the downstream time.
    expect(step.downstreamUs!).toBeGreaterThanOrEqual(10_000);
    expect(result.propagation).toEqual({ traceContext: true, argumentsUnchanged: null });
    const servers = result.histograms
      .filter((h) => h.metric === 'downstream_duration')
      .map((h) => h.tags.server);
    expect(servers.sort()).toEqual(['chat', 'tracker']);
  });
});
