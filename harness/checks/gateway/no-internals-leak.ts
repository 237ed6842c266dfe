import { leaksIn } from '../internals.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import {
  type Answer,
  answerText,
  callRaw,
  describeAnswer,
  exposedTool,
  faultServer,
} from './catalogue-util.js';

/**
 * Errors the client sees carry no stack traces, source paths or runtime
 * internals, whatever failed behind the gateway: a JSON-RPC error, an
 * exception in the downstream's handler, an unknown tool, a dead server.
 */
export const noInternalsLeak = check({
  id: 'gateway.no-internals-leak',
  title: 'errors carry no stack traces or file paths',
  suite: 'gateway',
  specRef:
    'practice: CWE-209 (no sensitive information in error messages); MCP 2025-11-25 server/tools §Security Considerations',
  severity: 'should',
  disruptive: true,
  expected:
    'the errors of a failing, throwing, unknown or dead downstream tool contain no stack frame, file path or runtime internals',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const server = faultServer(ctx, 2);
    if (!server) return skip('no network server of the fleet has two tools to fail');
    const [first, second] = server.tools.slice(-2).map((t) => t.name) as [string, string];
    const [nameA, nameB] = await Promise.all([
      exposedTool(ctx, `${server.name}.${first}`),
      exposedTool(ctx, `${server.name}.${second}`),
    ]);
    if (!nameA || !nameB)
      return blocked(
        `the SUT does not expose '${server.name}.${nameA ? second : first}'`,
        'gateway.tools-exposed-once',
      );

    const mock = ctx.mock(server.name);
    await mock.addFault({
      id: 'leak-protocol',
      type: 'protocol-error',
      tools: [first],
      code: -32050,
      message: 'nope',
    });
    await mock.addFault({ id: 'leak-throw', type: 'throw', tools: [second], message: 'handler blew up' });
    ctx.defer(async () => {
      await mock.removeFault('leak-protocol');
      await mock.removeFault('leak-throw');
    });
    const answers: Array<[string, Answer]> = [];
    answers.push([`JSON-RPC error from ${nameA}`, await callRaw(ctx, session, nameA, { message: 'x' })]);
    answers.push([`exception in ${nameB}`, await callRaw(ctx, session, nameB, { message: 'x' })]);
    answers.push(['unknown tool', await callRaw(ctx, session, 'no_such_tool__mcp_harness', {})]);
    await mock.kill();
    ctx.defer(() => mock.restart());
    answers.push([`${server.name} down`, await callRaw(ctx, session, nameA, { message: 'x' })]);

    const leaky = answers
      .map(([what, a]) => ({ what, leaks: leaksIn(answerText(a)) }))
      .filter((x) => x.leaks.length > 0);
    const seen = answers.map(([what, a]) => `${what} → ${describeAnswer(a)}`).join('; ');
    if (leaky.length === 0) return pass(`no internals in ${answers.length} errors (${seen})`);
    const example = leaky[0]?.leaks[0];
    return fail(
      `${leaky.length} of ${answers.length} errors give internals away: ${leaky
        .map((x) => `${x.what} (${x.leaks.map((l) => l.what).join(', ')})`)
        .join('; ')}; e.g. ${JSON.stringify(example?.excerpt)}`,
      { answers: Object.fromEntries(answers) },
    );
  },
});
