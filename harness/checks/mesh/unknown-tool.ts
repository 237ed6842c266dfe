import { describeOutcome, fromError, fromResult } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { eachMember, members, UNKNOWN_TOOL } from './members.js';

/** Every server of the mesh answers a call of a tool it does not have with JSON-RPC -32602. */
export const meshUnknownTool = check({
  id: 'mesh.unknown-tool',
  title: 'every server answers an unknown tool with JSON-RPC error -32602',
  suite: 'mesh',
  specRef: 'MCP 2025-11-25 server/tools §Error Handling (unknown tools: -32602 Invalid params)',
  severity: 'must',
  expected: `tools/call '${UNKNOWN_TOOL}' fails with JSON-RPC error -32602 on each server`,
  async run(ctx) {
    const ms = members(ctx);
    if (ms.length === 0) return skip('the mesh has no servers');
    const seen: string[] = [];
    const problems = await eachMember(ms, async (m) => {
      const o = await m.client
        .callTool({ name: UNKNOWN_TOOL, arguments: {} }, { timeout: ctx.timeoutMs, signal: ctx.signal })
        .then((r) => fromResult(r as Record<string, unknown>), fromError);
      seen.push(`${m.name}: ${describeOutcome(o)}`);
      if (o.outcome === 'error' && o.code === -32602) return undefined;
      return `${m.name} answered ${describeOutcome(o)}`;
    });
    if (problems.length > 0) return fail(problems.join('; '), { answers: seen.sort() });
    return pass(`all ${ms.length} servers answered -32602`, { answers: seen.sort() });
  },
});
