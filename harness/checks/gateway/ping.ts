import { clip } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { answer } from './catalogue-util.js';

/** The gateway answers ping itself, promptly, with an empty result. */
export const ping = check({
  id: 'gateway.ping',
  title: 'ping is answered with an empty result',
  suite: 'gateway',
  // 2026-07-28 has no ping.
  eras: ['legacy'],
  specRef: 'MCP 2025-11-25 basic/utilities/ping (the receiver MUST respond promptly with an empty response)',
  severity: 'must',
  concurrent: true,
  expected: 'ping returns an empty result within the target timeout',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const t0 = performance.now();
    const a = await answer(
      ctx.session.connection.client.ping({ timeout: ctx.timeoutMs, signal: ctx.signal }),
    );
    const ms = Math.round(performance.now() - t0);
    if (a.kind === 'error') return fail(`JSON-RPC error ${a.code}: ${clip(a.message)} after ${ms} ms`);
    const extra = Object.keys(a.result ?? {}).filter((k) => k !== '_meta');
    return extra.length === 0
      ? pass(`an empty result in ${ms} ms`)
      : fail(`a result with ${extra.join(', ')} in ${ms} ms (expected an empty one)`);
  },
});
