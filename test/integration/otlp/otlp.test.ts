import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createOtlpExport } from '../../../harness/measure/otlp.js';
import { runScenario } from '../../../harness/runner/run-scenario.js';
import { TargetSpecSchema } from '../../../harness/schema/target.js';
import { referenceGatewayTarget } from '../../../mocks/patterns/gateway/target.js';
import { ROOT, runCli } from '../../helpers/cli.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './receiver.js';

/** OTLP export against a receiver the test starts: spans by name, parent/child by traceparent, the metric. */

const SPAN_KIND = { server: 2, client: 3 } as const;

const scenario = {
  name: 'otlp',
  fleet: {
    servers: [
      {
        name: 'tracker',
        transport: 'http',
        tools: [{ name: 'get_issue', result: { text: 'issue {{args.id}}' } }, { name: 'close_issue' }],
        faults: [{ type: 'tool-error', tools: ['close_issue'], message: 'read-only tracker' }],
      },
    ],
  },
  steps: [
    { call: 'tracker.get_issue', args: { id: 7 }, expect: { outcome: 'ok' } },
    { call: 'tracker.close_issue', args: { id: 7 }, expect: { outcome: 'isError' } },
  ],
};

let receiver: OtlpReceiver;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-otlp-'));
});
beforeEach(async () => {
  receiver = await startOtlpReceiver();
  return () => receiver.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectJoined(
  spans: ReceivedSpan[],
  tool: string,
  servedAs = tool,
): { client: ReceivedSpan; server: ReceivedSpan } {
  const client = spans.find((s) => s.kind === SPAN_KIND.client && s.name === `tools/call ${tool}`);
  expect(client, `client span of ${tool} in ${JSON.stringify(spans.map((s) => s.name))}`).toBeDefined();
  expect(client?.service).toBe('mcp-harness');
  expect(client?.attributes['mcp.method.name']).toBe('tools/call');
  expect(client?.attributes['gen_ai.tool.name']).toBe(tool);
  const server = spans.find((s) => s.kind === SPAN_KIND.server && s.parentSpanId === client?.spanId);
  expect(server, `server span under ${tool}`).toBeDefined();
  expect(server).toMatchObject({
    service: 'mock tracker',
    name: `tools/call ${servedAs}`,
    traceId: client?.traceId,
  });
  return { client: client as ReceivedSpan, server: server as ReceivedSpan };
}

describe('OTLP export', () => {
  it('exports client spans, the mock server spans joined by traceparent, and the duration metric', async () => {
    const otlp = createOtlpExport({ url: receiver.url, serviceName: 'mcp-harness' });
    try {
      const result = await runScenario(scenario, {
        tracing: otlp.tracing,
        onCallLog: (records) => otlp.addCallLog(records),
      });
      expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    } finally {
      await otlp.shutdown();
    }
    expect(receiver.contentTypes.every((t) => t.includes('application/json'))).toBe(true);
    const ok = expectJoined(receiver.spans, 'get_issue');
    expect(ok.client.attributes['error.type']).toBeUndefined();
    expect(ok.client.status).not.toBe(2);
    const failed = expectJoined(receiver.spans, 'close_issue');
    expect(failed.client.attributes['error.type']).toBe('tool_error');
    expect(failed.client.status).toBe(2); // STATUS_CODE_ERROR
    expect(failed.server.attributes['error.type']).toBe('tool_error');

    const metric = receiver.metrics.find((m) => m.name === 'mcp.client.operation.duration');
    expect(metric, JSON.stringify(receiver.metrics.map((m) => m.name))).toBeDefined();
    expect(metric?.unit).toBe('s');
    const point = (tool: string) =>
      metric?.points.find(
        (p) => p.attributes['gen_ai.tool.name'] === tool && p.attributes['mcp.method.name'] === 'tools/call',
      );
    expect(point('get_issue')?.count).toBeGreaterThanOrEqual(1);
    expect(point('get_issue')?.attributes['error.type']).toBeUndefined();
    expect(point('close_issue')?.attributes['error.type']).toBe('tool_error');
  });

  it('through the reference gateway, the mock span still hangs under the client span (one waterfall)', async () => {
    const otlp = createOtlpExport({ url: receiver.url });
    try {
      const result = await runScenario(scenario, {
        target: TargetSpecSchema.parse(referenceGatewayTarget()),
        tracing: otlp.tracing,
        onCallLog: (records) => otlp.addCallLog(records),
      });
      expect(result.status, JSON.stringify(result.steps)).toBe('pass');
    } finally {
      await otlp.shutdown();
    }
    // The gateway exposes tracker__get_issue; the mock serves get_issue in the same trace.
    const { client, server } = expectJoined(receiver.spans, 'tracker__get_issue', 'get_issue');
    expect(server.traceId).toBe(client.traceId);
  });

  it('run --otlp URL exports the same from the CLI', async () => {
    const file = join(dir, 'otlp.yaml');
    await writeFile(file, stringify(scenario));
    const r = await runCli(['run', file, '--otlp', receiver.url, '--no-progress', '--report-dir', dir], {
      cwd: ROOT,
    });
    expect(r.code, r.stderr).toBe(0);
    expectJoined(receiver.spans, 'get_issue');
    expect(expectJoined(receiver.spans, 'close_issue').client.attributes['error.type']).toBe('tool_error');
    expect(receiver.metrics.some((m) => m.name === 'mcp.client.operation.duration')).toBe(true);
  });

  it('check --otlp URL exports a span per check under one root, failures marked', async () => {
    const file = join(dir, 'gw.json');
    await writeFile(file, JSON.stringify(referenceGatewayTarget(['iserror-to-success'])));
    const only = ['gateway.handshake', 'gateway.iserror-preserved'];
    const r = await runCli(
      [
        'check',
        '--target',
        file,
        '--only',
        ...only,
        '--otlp',
        receiver.url,
        '--no-progress',
        '--report-dir',
        dir,
      ],
      { cwd: ROOT },
    );
    expect(r.code, r.stderr).toBe(1);
    const root = receiver.spans.find((s) => s.name === `mcp-harness check ${file}`);
    expect(root, JSON.stringify(receiver.spans.map((s) => s.name))).toBeDefined();
    const checks = receiver.spans.filter((s) => s.parentSpanId === root?.spanId);
    expect(checks.map((s) => s.name).sort()).toEqual(only.map((id) => `check ${id}`));
    const failed = checks.find((s) => s.name === 'check gateway.iserror-preserved');
    expect(failed?.attributes).toMatchObject({
      'mcp_harness.check.status': 'fail',
      'error.type': 'check_fail',
    });
    expect(failed?.status).toBe(2);
    expect(
      checks.find((s) => s.name === 'check gateway.handshake')?.attributes['mcp_harness.check.status'],
    ).toBe('pass');
  });

  it('a bad --otlp URL is invalid input (exit 2), nothing runs', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, stringify(scenario));
    const r = await runCli(['run', file, '--otlp', 'collector:4318', '--no-progress'], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--otlp: expected an http(s) URL');
    expect(receiver.spans).toHaveLength(0);
  });
});
