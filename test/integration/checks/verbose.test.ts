import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../harness/checks/run-checks.js';
import { referenceGateway } from '../../helpers/checks.js';

/** `check --verbose`: each result carries the messages of its own check, whether it ran in a lane or alone. */
describe('check transcripts', () => {
  const only = ['gateway.unknown-tool', 'gateway.jsonrpc-error-preserved'];

  it('verbose: every check has its own requests and answers; none of another check', async () => {
    const run = await runChecks({ target: referenceGateway(), only, verbose: true });
    const byId = new Map(run.results.map((r) => [r.id, r]));
    for (const id of only) expect(byId.get(id)?.status, id).toBe('pass');
    const unknown = byId.get('gateway.unknown-tool')?.transcript ?? [];
    const rpc = byId.get('gateway.jsonrpc-error-preserved')?.transcript ?? [];
    // unknown-tool runs in a lane on its own session, jsonrpc-error-preserved alone on the main session.
    expect(unknown.some((l) => l.startsWith('→ session') && l.includes('tools/call'))).toBe(true);
    expect(unknown.some((l) => l.startsWith('← session') && l.includes('-32602'))).toBe(true);
    expect(rpc.some((l) => l.startsWith('→ main session') && l.includes('tools/call'))).toBe(true);
    expect(rpc.some((l) => l.startsWith('←') && l.includes('-32050'))).toBe(true);
    expect(unknown.some((l) => l.includes('-32050'))).toBe(false);
    expect(rpc.some((l) => l.includes('no_such_tool__mcp_harness'))).toBe(false);
  });

  it('not verbose: no transcript', async () => {
    const run = await runChecks({ target: referenceGateway(), only: ['gateway.unknown-tool'] });
    expect(run.results[0]?.transcript).toBeUndefined();
  });
});
