import { check, fail, skip, verdict } from '../types.js';
import { callRaw, describeAnswer, exposedTool, resultText } from './catalogue-util.js';

/** A downstream tool error (isError: true) reaches the client as the same isError result, not a success nor a protocol error. */
export const iserrorPreserved = check({
  id: 'gateway.iserror-preserved',
  title: 'a downstream isError result stays an isError result',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 server/tools §Error Handling (tool execution errors are reported in the result with isError: true)',
  severity: 'must',
  expected:
    'calling a tool that answers isError returns a result with isError: true and the downstream’s text',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const pick = ctx.fleet.spec.servers
      .flatMap((s) => s.tools.map((t) => ({ server: s.name, tool: t })))
      .find((x) => x.tool.result.isError === true && x.tool.result.text !== undefined);
    if (!pick) return skip('no fleet tool answers with isError');
    const logical = `${pick.server}.${pick.tool.name}`;
    const name = await exposedTool(ctx, logical);
    if (!name) return fail(`${logical} is not exposed`);
    const a = await callRaw(ctx, session, name, {});
    const expectedText = pick.tool.result.text as string;
    if (a.kind !== 'result') return fail(`${name}: ${describeAnswer(a)} (expected an isError result)`);
    const text = resultText(a.result);
    const isError = a.result.isError === true;
    return verdict(
      isError && text.includes(expectedText),
      isError
        ? `${name}: an isError result${text.includes(expectedText) ? ' with the downstream text' : `, but its text is ${JSON.stringify(text)} (expected ${JSON.stringify(expectedText)})`}`
        : `${name}: a success result (isError ${JSON.stringify(a.result.isError)}) with text ${JSON.stringify(text)}`,
    );
  },
});
