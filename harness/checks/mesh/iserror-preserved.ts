import type { Tool } from '@modelcontextprotocol/client';
import { describeOutcome, fromError, fromResult, textOf } from '../../runner/outcome.js';
import type { ToolSpec } from '../../schema/fleet.js';
import { originTagsIn } from '../../target/naming.js';
import type { CheckContext } from '../context.js';
import { check, fail, pass, skip } from '../types.js';
import { eachMember, type Member, members } from './members.js';

const MARK = 'mcp-harness mesh tool failure';

/** How a member is made to fail: a fault on a fleet mock, or a tool the fleet knows answers isError. */
interface Failing {
  tool: string;
  /** Text the isError result must carry ('' when the fleet gives none to compare). */
  text: string;
  /** How the failure comes about, for observations. */
  how: string;
  arrange?: () => Promise<unknown>;
}

/**
 * A tool failure reaches the host as a tool result with isError: true (and
 * its text), not as a JSON-RPC error or a plain result. A member backed by a
 * fleet mock gets a tool-error fault on its first tool; any other member is
 * tried through a tool it lists that the fleet defines as failing (known by
 * the origin tag in its description, or by server and tool name). A member
 * with neither cannot be made to fail and is named as not tried.
 */
export const meshIsErrorPreserved = check({
  id: 'mesh.iserror-preserved',
  title: 'a failing tool answers isError: true on every server',
  suite: 'mesh',
  specRef: 'MCP 2025-11-25 server/tools §Error Handling (tool execution errors: isError: true in the result)',
  severity: 'must',
  expected:
    'a tool that fails (a tool-error fault, or a tool the fleet defines as failing) answers a result with isError: true carrying the error text',
  async run(ctx) {
    const all = members(ctx);
    const plans = all.map((m) => [m, failingOf(ctx, m)] as const);
    const tried = plans.filter((p): p is readonly [Member, Failing] => p[1] !== undefined);
    const untried = plans.filter(([, f]) => !f).map(([m]) => m.name);
    if (tried.length === 0)
      return skip(
        `no server of the mesh can be made to fail: none is a fleet mock or lists a tool the fleet defines as failing (${untried.join(', ')})`,
      );
    const seen: string[] = [];
    const problems = await eachMember(
      tried.map(([m]) => m),
      async (m) => {
        const f = tried.find(([x]) => x === m)![1];
        await f.arrange?.();
        const o = await m.client
          .callTool({ name: f.tool, arguments: {} }, { timeout: ctx.timeoutMs, signal: ctx.signal })
          .then((r) => fromResult(r as Record<string, unknown>), fromError);
        seen.push(`${m.name}.${f.tool} (${f.how}): ${describeOutcome(o)}`);
        if (o.outcome !== 'isError') return `${m.name}.${f.tool} failed but answered ${describeOutcome(o)}`;
        if (!textOf(o.result).includes(f.text))
          return `${m.name}.${f.tool}: isError without the error text (${describeOutcome(o)})`;
        return undefined;
      },
    );
    const note = untried.length > 0 ? ` (not tried, nothing to make fail: ${untried.join(', ')})` : '';
    if (problems.length > 0) return fail(problems.join('; '), { answers: seen.sort() });
    return pass(`isError: true with the error text from ${tried.length} of ${all.length} servers${note}`, {
      answers: seen.sort(),
    });
  },
});

/** How `m` can be made to fail, or undefined. */
function failingOf(ctx: CheckContext, m: Member): Failing | undefined {
  const listed = ctx.target.tools.get(m.name) ?? [];
  if (m.mock && listed.length > 0) {
    const mock = m.mock;
    const tool = (listed[0] as Tool).name;
    return {
      tool,
      text: MARK,
      how: 'tool-error fault',
      arrange: () => mock.addFault({ type: 'tool-error', tools: [tool], message: MARK }),
    };
  }
  for (const t of listed) {
    const spec = knownFailing(ctx, m.name, t);
    if (spec) return { tool: t.name, text: expectedText(spec), how: 'fails by its fleet definition' };
  }
  return undefined;
}

/** The fleet's definition of a listed tool, when it always answers isError. */
function knownFailing(ctx: CheckContext, member: string, t: Tool): ToolSpec | undefined {
  const origins = [...originTagsIn(t.description), { server: member, tool: t.name }];
  for (const o of origins) {
    const spec = ctx.fleet.spec.servers
      .find((s) => s.name === o.server)
      ?.tools.find((x) => x.name === o.tool);
    if (spec?.result.isError === true && !spec.handler) return spec;
  }
  return undefined;
}

/** The text a failing tool's result carries, without templates ('' when there is none to compare). */
function expectedText(spec: ToolSpec): string {
  const text =
    spec.result.text ??
    spec.result.content?.find((c): c is { type: 'text'; text: string } => c.type === 'text')?.text ??
    '';
  return text.includes('{{') ? '' : text;
}
