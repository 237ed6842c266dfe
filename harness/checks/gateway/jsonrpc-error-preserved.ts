import { isDeepStrictEqual } from 'node:util';
import { clip } from '../../runner/outcome.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { callRaw, describeAnswer, exposedTool, networkServers } from './catalogue-util.js';

const DATA = { retryAfterMs: 1234, reason: 'mcp-harness probe' };

/** A downstream JSON-RPC error reaches the client as a JSON-RPC error with the same code (and data). */
export const jsonrpcErrorPreserved = check({
  id: 'gateway.jsonrpc-error-preserved',
  title: 'a downstream JSON-RPC error keeps its code and data',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/tools §Error Handling (protocol errors); JSON-RPC 2.0 §5.1 Error object',
  severity: 'must',
  expected:
    'a tool whose server answers JSON-RPC error -32050 (or another code, with data) fails upstream with that code and data',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const problems: string[] = [];
    const seen: string[] = [];

    // The error the fleet declares (alpha.rpc_error → -32050 in the conformance fleet).
    const declared = ctx.fleet.spec.servers.flatMap((s) =>
      s.faults.flatMap((f) =>
        f.type === 'protocol-error' && f.tools?.length && (f.probability ?? 1) === 1 && !f.after
          ? [{ server: s.name, tool: f.tools[0] as string, code: f.code as number }]
          : [],
      ),
    );
    const cases: Array<{ server: string; tool: string; code: number; data?: unknown }> = [
      ...declared.slice(0, 1),
    ];
    // One more, with data, injected on a network server's tool.
    const target = networkServers(ctx).find((s) =>
      s.tools.some((t) => !declared.some((d) => d.tool === t.name)),
    );
    const tool = target?.tools.find((t) => !declared.some((d) => d.tool === t.name))?.name;
    if (target && tool) {
      await ctx.mock(target.name).addFault({
        id: 'jsonrpc-error-preserved',
        type: 'protocol-error',
        tools: [tool],
        code: -32051,
        message: 'probe error with data',
        data: DATA,
      });
      ctx.defer(() => ctx.mock(target.name).removeFault('jsonrpc-error-preserved'));
      cases.push({ server: target.name, tool, code: -32051, data: DATA });
    }
    if (cases.length === 0) return skip('no tool of the fleet can answer with a JSON-RPC error');

    const unexposed: string[] = [];
    for (const c of cases) {
      const logical = `${c.server}.${c.tool}`;
      const name = await exposedTool(ctx, logical);
      if (!name) {
        unexposed.push(logical);
        continue;
      }
      const a = await callRaw(ctx, session, name, { message: 'x' });
      seen.push(`${name} → ${describeAnswer(a)}`);
      if (a.kind !== 'error') {
        problems.push(`${name}: ${describeAnswer(a)} instead of JSON-RPC error ${c.code}`);
        continue;
      }
      if (a.code !== c.code) problems.push(`${name}: code ${a.code} instead of the downstream's ${c.code}`);
      if (c.data !== undefined && !isDeepStrictEqual(a.data, c.data)) {
        problems.push(
          `${name}: data ${clip(JSON.stringify(a.data) ?? 'none', 100)} instead of ${JSON.stringify(c.data)}`,
        );
      }
    }
    const observed = [...problems, ...seen].join('; ');
    if (seen.length === 0)
      return blocked(
        `the SUT does not expose ${unexposed.map((l) => `'${l}'`).join(', ')}`,
        'gateway.tools-exposed-once',
      );
    return problems.length === 0 ? pass(observed) : fail(observed);
  },
});
