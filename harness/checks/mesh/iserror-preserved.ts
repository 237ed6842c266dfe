import { describeOutcome, fromError, fromResult, textOf } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { eachMember, members } from './members.js';

const MARK = 'mcp-harness mesh tool failure';

/**
 * A tool failure reaches the host as a tool result with isError: true (and
 * its text), not as a JSON-RPC error or a plain result. Each mock-backed
 * member gets a tool-error fault on its first tool.
 */
export const meshIsErrorPreserved = check({
  id: 'mesh.iserror-preserved',
  title: 'a failing tool answers isError: true on every server',
  suite: 'mesh',
  specRef: 'MCP 2025-11-25 server/tools §Error Handling (tool execution errors: isError: true in the result)',
  severity: 'must',
  expected:
    'a tool that fails (a tool-error fault) answers a result with isError: true carrying the error text',
  async run(ctx) {
    const ms = members(ctx).filter((m) => m.mock && (ctx.target.tools.get(m.name) ?? []).length > 0);
    if (ms.length === 0)
      return skip('no mesh server is backed by a fleet mock with tools (nothing to inject a failure into)');
    const seen: string[] = [];
    const problems = await eachMember(ms, async (m) => {
      const tool = (ctx.target.tools.get(m.name) ?? [])[0]!.name;
      await m.mock!.addFault({ type: 'tool-error', tools: [tool], message: MARK });
      const o = await m.client
        .callTool({ name: tool, arguments: {} }, { timeout: ctx.timeoutMs, signal: ctx.signal })
        .then((r) => fromResult(r as Record<string, unknown>), fromError);
      seen.push(`${m.name}.${tool}: ${describeOutcome(o)}`);
      if (o.outcome !== 'isError') return `${m.name}.${tool} failed but answered ${describeOutcome(o)}`;
      if (!textOf(o.result).includes(MARK))
        return `${m.name}.${tool}: isError without the error text (${describeOutcome(o)})`;
      return undefined;
    });
    const skipped = members(ctx).length - ms.length;
    const note = skipped > 0 ? ` (${skipped} server(s) without a fleet mock not tried)` : '';
    if (problems.length > 0) return fail(problems.join('; '), { answers: seen.sort() });
    return pass(`isError: true with the error text from all ${ms.length} servers${note}`, {
      answers: seen.sort(),
    });
  },
});
