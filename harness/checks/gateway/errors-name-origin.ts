import { resolveTools } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import { callRaw, describeAnswer, faultServer, resultText } from './catalogue-util.js';

const FAULT_ID = 'errors-name-origin';
/** A downstream message that names nothing, so any name in the upstream error was added by the gateway. */
const MESSAGE = 'quota exceeded';

/**
 * When a downstream fails, the error the client gets says where: the
 * logical server and the tool (the client sees one gateway, not which of its
 * servers broke). An aggregator's practice: a bridge in front of one server
 * has nothing to disambiguate and may pass errors on as they are.
 */
export const errorsNameOrigin = check({
  id: 'gateway.errors-name-origin',
  title: 'errors from a failing downstream name the server and the tool',
  suite: 'gateway',
  specRef: 'practice: a gateway’s error messages identify the downstream server and tool that failed',
  severity: 'should',
  expected:
    `a downstream JSON-RPC error '${MESSAGE}' reaches the client with a message naming the server and the tool ` +
    '(not asked of a bridge: a SUT with one server behind it)',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const servers = ctx.fleet.spec.servers;
    if (servers.length === 1)
      return skip(
        `one server (${servers[0]?.name}) behind the SUT: naming the failing server is an aggregator's practice, not a bridge's`,
      );
    const server = faultServer(ctx);
    if (!server) return skip('no network server of the fleet has tools');
    const tool = (server.tools.find((t) => t.name === 'lookup') ?? server.tools.at(-1))?.name as string;
    const logical = `${server.name}.${tool}`;
    const r = await resolveTools(ctx, [logical]);
    if (!r.names) return r.verdict;
    const [name] = r.names as [string];

    await ctx.mock(server.name).addFault({
      id: FAULT_ID,
      type: 'protocol-error',
      tools: [tool],
      code: -32050,
      message: MESSAGE,
    });
    ctx.defer(() => ctx.mock(server.name).removeFault(FAULT_ID));
    const a = await callRaw(ctx, session, name, { message: 'x' });
    const text =
      a.kind === 'error' ? a.message : a.result.isError === true ? resultText(a.result) : undefined;
    if (text === undefined)
      return fail(`${name}: ${describeAnswer(a)} (the downstream failed; expected an error)`);
    const namesServer = text.includes(server.name);
    const namesTool = text.includes(tool) || text.includes(name);
    const missing = [namesServer ? '' : `server '${server.name}'`, namesTool ? '' : `tool '${tool}'`].filter(
      Boolean,
    );
    return missing.length === 0
      ? pass(`${describeAnswer(a)} (names ${server.name} and ${tool})`)
      : fail(`${describeAnswer(a)}: does not name the ${missing.join(' nor the ')}`);
  },
});
