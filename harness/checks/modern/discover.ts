import { onWire } from '../http/wire.js';
import { check, fail, pass } from '../types.js';
import { describeExchange, MODERN_VERSION, sendModern } from './wire.js';

/**
 * server/discover is how a 2026-07-28 client learns what a server speaks and
 * offers, with no initialize and no session: the answer lists 2026-07-28 in
 * supportedVersions, carries the capabilities, and is a complete result.
 */
export const discover = check({
  id: 'modern.discover',
  title: 'server/discover answers with 2026-07-28, the capabilities and resultType complete',
  suite: 'modern',
  specRef: 'MCP 2026-07-28 basic/lifecycle §Discovery (server/discover replaces initialize)',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected:
    'a server/discover request without a session is answered with supportedVersions including 2026-07-28, ' +
    'a capabilities object (tools, for a gateway) and resultType "complete"',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const x = await sendModern(wire, 'server/discover');
      if (!x.result) return fail(`server/discover: ${describeExchange(x)}`);
      const versions = x.result.supportedVersions;
      const caps = x.result.capabilities as Record<string, unknown> | undefined;
      const problems = [
        ...(Array.isArray(versions) && versions.includes(MODERN_VERSION)
          ? []
          : [`supportedVersions is ${JSON.stringify(versions)}, without ${MODERN_VERSION}`]),
        ...(caps && typeof caps === 'object' ? [] : ['no capabilities object']),
        ...(ctx.pattern === 'gateway' && !caps?.tools
          ? ['no tools capability (a gateway serves tools)']
          : []),
        ...(x.result.resultType === 'complete'
          ? []
          : [`resultType is ${JSON.stringify(x.result.resultType)}`]),
      ];
      const evidence = { supportedVersions: versions, capabilities: caps, resultType: x.result.resultType };
      return problems.length === 0
        ? pass(
            `supportedVersions ${JSON.stringify(versions)}, capabilities ${Object.keys(caps ?? {}).join(', ')}`,
            evidence,
          )
        : fail(problems.join('; '), evidence);
    }),
});
