import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../../harness/checks/session.js';
import { createTranscript, transcriptRelay, withTranscript } from '../../../harness/checks/transcript.js';
import { renderConsole } from '../../../harness/report/console.js';
import { buildRunReport, type CheckResult } from '../../../harness/schema/result.js';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { startFleet } from '../../helpers/mocks.js';

/**
 * `--verbose` mechanics: a session's onMessage sees every message both ways
 * (the handshake included) over a real connection; a check's transcript is
 * bounded and clipped; the console prints it under the check's result.
 */

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    servers: [{ name: 'alpha', transport: 'http', tools: [{ name: 'echo', result: { echo: true } }] }],
  });
});
afterAll(async () => {
  await fleet?.stop();
});

const endpoint = () => ({
  transport: 'http' as const,
  url: fleet.mocks.get('alpha')!.endpoint()!.url!,
  headers: {},
});

describe('transcript', () => {
  it('records what a session sends and receives, in order, labelled', async () => {
    const t = createTranscript();
    const s = await openSession(endpoint(), { timeoutMs: 5_000, onMessage: t.tap('probe') });
    try {
      await s.call('echo', { message: 'hi' });
    } finally {
      await s.close();
    }
    const lines = t.lines();
    expect(lines[0]).toMatch(/^→ probe {2}\{.*"method":"initialize"/);
    expect(lines[1]).toMatch(/^← probe {2}.*"result":\{.*"protocolVersion"/);
    const call = lines.findIndex((l) => l.startsWith('→') && l.includes('"tools/call"'));
    expect(call).toBeGreaterThan(1);
    expect(lines.slice(call + 1).some((l) => l.startsWith('← probe') && l.includes('hi'))).toBe(true);
  });

  it('is bounded: messages clipped, and past the limit only counted', () => {
    const t = createTranscript({ maxMessages: 2, maxChars: 40 });
    const tap = t.tap('s');
    for (let i = 0; i < 5; i++) tap('sent', { jsonrpc: '2.0', id: i, method: 'x'.repeat(100) });
    const lines = t.lines();
    expect(lines).toHaveLength(3);
    expect(lines[0]!.length).toBeLessThanOrEqual(40 + 6);
    expect(lines[0]!.endsWith('…')).toBe(true);
    expect(lines[2]).toBe('… 3 more message(s) not shown');
  });

  it('a relay feeds whichever check runs now, nothing between checks', () => {
    const relay = transcriptRelay('sut');
    const a = createTranscript();
    relay.observer('sent', { id: 0 });
    relay.use(a);
    relay.observer('received', { id: 1 });
    relay.use(undefined);
    relay.observer('sent', { id: 2 });
    expect(a.lines()).toEqual(['← sut  {"id":1}']);
  });

  it('the console prints a transcript under its check; none without one', () => {
    const base: CheckResult = {
      id: 'gateway.handshake',
      title: 'handshake',
      suite: 'gateway',
      status: 'pass',
      specRef: '',
      expected: 'x',
      observed: 'x',
      durationMs: 1,
    };
    const t = createTranscript();
    t.tap('sut')('sent', { method: 'initialize' });
    const report = (c: CheckResult) =>
      buildRunReport({
        version: '0',
        startedAt: new Date(0).toISOString(),
        durationMs: 1,
        scenarios: [],
        checks: [c],
      });
    const shown = renderConsole(report(withTranscript(base, t)), { color: false });
    expect(shown).toContain('→ sut  {"method":"initialize"}');
    expect(renderConsole(report(withTranscript(base, createTranscript())), { color: false })).not.toContain(
      '→',
    );
  });
});
