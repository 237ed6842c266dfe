import { plain, serversServing, toolOf } from '../cross-era/util.js';
import { resolveTools } from '../gateway/resilience-util.js';
import { onWire } from '../http/wire.js';
import { check, fail, pass, skip } from '../types.js';
import { describeExchange, discovered, sendModern } from './wire.js';

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
  expected: 'tools/list, prompts/list and a tools/call of a listed tool answer with resultType "complete"',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const unserved = await discovered(wire);
      if (unserved) return unserved;
      const list = await sendModern(wire, 'tools/list');
      if (!list.result) return fail(`tools/list: ${describeExchange(list)}`);
      const prompts = await sendModern(wire, 'prompts/list');
      // A plain tool, of a backend that serves 2026-07-28 when there is one: no question, no error.
      const preferred = [...serversServing(ctx, ['modern', 'dual']), ...ctx.fleet.spec.servers];
      const logical = preferred.map((srv) => toolOf(srv, plain)).find((t) => t !== undefined);
      if (!logical) return skip('the fleet has no plain tool to call');
      const r = await resolveTools(ctx, [logical]);
      if (!r.names) return r.verdict;
      const [target] = r.names as [string];
      const call = await sendModern(wire, 'tools/call', { name: target, arguments: {} });
      const seen = {
        'tools/list': list.result.resultType,
        'prompts/list': prompts.result ? prompts.result.resultType : describeExchange(prompts),
        [`tools/call ${target}`]: call.result ? call.result.resultType : describeExchange(call),
      };
      const bad = Object.entries(seen).filter(([, v]) => v !== 'complete');
      return bad.length === 0
        ? pass(`resultType complete on tools/list, prompts/list and tools/call ${target}`, { seen })
        : fail(
            bad
              .map(
                ([k, v]) => `${k}: ${v === undefined ? 'no resultType' : `resultType ${JSON.stringify(v)}`}`,
              )
              .join('; '),
            { seen },
          );
    }),
});
