import { plain } from '../cross-era/util.js';
import { fleetTool, resolveTools } from '../gateway/resilience-util.js';
import { onWire } from '../http/wire.js';
import { check, fail, pass, skip } from '../types.js';
import { describeExchange, sendModern } from './wire.js';

/**
 * Every 2026-07-28 result says what kind it is (`resultType`: complete, or
 * input_required for a multi-round-trip request): a client decides by it
 * whether it has the answer or must supply input and retry.
 */
export const resultType = check({
  id: 'modern.result-type',
  title: 'results carry resultType (complete for a finished list or call)',
  suite: 'modern',
  specRef: 'MCP 2026-07-28 basic §Result types (resultType on every result)',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected: 'tools/list and a tools/call of a listed tool answer with resultType "complete"',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const list = await sendModern(wire, 'tools/list');
      if (!list.result) return fail(`tools/list: ${describeExchange(list)}`);
      // A plain tool of the fleet: no question to the client, no error.
      const logical = fleetTool(ctx, plain);
      if (!logical) return skip('the fleet has no plain tool to call');
      const r = await resolveTools(ctx, [logical]);
      if (!r.names) return r.verdict;
      const [target] = r.names as [string];
      const call = await sendModern(wire, 'tools/call', { name: target, arguments: {} });
      const seen = {
        'tools/list': list.result.resultType,
        [`tools/call ${target}`]: call.result?.resultType ?? describeExchange(call),
      };
      const bad = Object.entries(seen).filter(([, v]) => v !== 'complete');
      return bad.length === 0
        ? pass(`resultType complete on tools/list and tools/call ${target}`, { seen })
        : fail(bad.map(([k, v]) => `${k}: resultType ${JSON.stringify(v)}`).join('; '), { seen });
    }),
});
