import { isDeepStrictEqual } from 'node:util';
import { clip } from '../../runner/outcome.js';
import { resolveTools } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import {
  type Answer,
  answer,
  callRaw,
  describeAnswer,
  direct,
  networkServers,
  resultText,
} from './catalogue-util.js';

type Block = Record<string, unknown>;

const blocksOf = (result: Record<string, unknown>): Block[] =>
  Array.isArray(result.content) ? (result.content as Block[]) : [];

/**
 * The downstream blocks the gateway's result lacks. A text block counts as
 * arriving when the gateway's text holds it (a gateway may prefix the server's
 * name, or join the texts into one block); any other block must arrive as it was.
 */
function lostBlocks(sent: readonly Block[], got: readonly Block[]): Block[] {
  const text = resultText({ content: got });
  return sent.filter((b) =>
    b.type === 'text' && typeof b.text === 'string'
      ? !text.includes(b.text)
      : !got.some((g) => isDeepStrictEqual(g, b)),
  );
}

const show = (b: Block) => clip(b.type === 'text' ? JSON.stringify(b.text) : JSON.stringify(b), 80);

/**
 * A downstream tool error (isError: true) reaches the client as the same
 * isError result: not a success nor a protocol error, and whole: every content
 * block and the structuredContent the downstream sent (compared with the same
 * call made straight to the mock).
 */
export const iserrorPreserved = check({
  id: 'gateway.iserror-preserved',
  title: 'a downstream isError result stays a whole isError result',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §Error Handling (tool execution errors are reported in the result with isError: true) and §Tool Result',
  severity: 'must',
  concurrent: true,
  expected:
    'calling a tool that answers isError with several content blocks and structuredContent returns a result with ' +
    'isError: true, every block the downstream sent (texts may be prefixed or joined) and the same structuredContent',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    // The network tool with the richest error result: the most blocks, structuredContent first.
    const pick = networkServers(ctx)
      .flatMap((s) => s.tools.map((t) => ({ server: s.name, tool: t })))
      .filter((x) => x.tool.result.isError === true && !x.tool.handler)
      .map((x) => ({
        ...x,
        weight:
          (x.tool.result.text === undefined ? 0 : 1) +
          (x.tool.result.content?.length ?? 0) +
          (x.tool.result.structuredContent ? 10 : 0),
      }))
      .sort((a, b) => b.weight - a.weight)[0];
    if (!pick) return skip('no network tool of the fleet answers with isError');
    const logical = `${pick.server}.${pick.tool.name}`;
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const [name] = r.names as [string];

    const via = await callRaw(ctx, session, name, {});
    const own: Answer = await answer(
      (await direct(ctx, pick.server)).request(
        { method: 'tools/call', params: { name: pick.tool.name, arguments: {} } },
        { timeout: ctx.timeoutMs, signal: ctx.signal },
      ),
    );
    if (own.kind !== 'result' || own.result.isError !== true)
      return fail(`the downstream itself answered ${describeAnswer(own)} (a fleet problem)`);
    if (via.kind !== 'result') return fail(`${name}: ${describeAnswer(via)} (expected an isError result)`);
    const evidence = { downstream: own.result, gateway: via.result };
    if (via.result.isError !== true)
      return fail(
        `${name}: a success result (isError ${JSON.stringify(via.result.isError)}) with text ${JSON.stringify(clip(resultText(via.result)))}`,
        evidence,
      );
    const sent = blocksOf(own.result);
    const got = blocksOf(via.result);
    const lost = lostBlocks(sent, got);
    const problems: string[] = [];
    if (lost.length > 0)
      problems.push(
        `${lost.length} of the ${sent.length} content blocks the downstream sent did not arrive (${lost.map(show).join(', ')}); the gateway sent ${got.length}`,
      );
    if (!isDeepStrictEqual(via.result.structuredContent, own.result.structuredContent))
      problems.push(
        `structuredContent: downstream ${clip(JSON.stringify(own.result.structuredContent) ?? 'nothing', 80)}, gateway ${clip(JSON.stringify(via.result.structuredContent) ?? 'nothing', 80)}`,
      );
    if (problems.length > 0) return fail(`${name}: an isError result, but ${problems.join('; ')}`, evidence);
    const structured = own.result.structuredContent === undefined ? '' : ' and its structuredContent';
    return pass(
      `${name}: an isError result with all ${sent.length} content blocks${structured}` +
        (got.length === sent.length ? '' : ` (as ${got.length} blocks)`),
      evidence,
    );
  },
});
