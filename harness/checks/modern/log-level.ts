import { LOG_LEVEL_META_KEY } from '@modelcontextprotocol/client';
import { resolveTools } from '../gateway/resilience-util.js';
import { onWire, parseLoosely } from '../http/wire.js';
import { warmUpFailed } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import { describeExchange, discovered, sendModern } from './wire.js';

/**
 * 2026-07-28 has no logging/setLevel: each request says which log messages
 * it wants (`_meta` log level; none means none). A gateway relaying a
 * backend's log messages must honour the level of the request they belong to.
 */
export const logLevel = check({
  id: 'modern.log-level',
  title: "a call's log messages follow its own log level (none asked: none sent)",
  suite: 'modern',
  specRef:
    'MCP 2026-07-28 server/utilities/logging (the log level rides on each request; no logging/setLevel)',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected:
    'calling alpha.log (an info message) with log level debug brings the message on the call’s stream; ' +
    'with log level error, or no level, no log message comes',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const unserved = await discovered(wire);
      if (unserved) return unserved;
      if (!ctx.fleet.spec.servers.some((s) => s.name === 'alpha' && s.tools.some((t) => t.name === 'log')))
        return skip('the fleet has no alpha.log');
      const r = await resolveTools(ctx, ['alpha.log']);
      if (!r.names) return r.verdict;
      const [name] = r.names as [string];
      const count = async (level?: string) => {
        const x = await sendModern(
          wire,
          'tools/call',
          { name, arguments: {} },
          level ? { envelope: { [LOG_LEVEL_META_KEY]: level } } : {},
        );
        const logs = parseLoosely(x.reply).filter(
          (m) => 'method' in m && m.method === 'notifications/message',
        );
        return { x, logs: logs.length };
      };
      const [debug, error, none] = [await count('debug'), await count('error'), await count()];
      const seen = { debug: debug.logs, error: error.logs, none: none.logs };
      if (!debug.x.result || debug.x.result.isError)
        return warmUpFailed('alpha.log', describeExchange(debug.x));
      const problems = [
        ...(debug.logs > 0 ? [] : ['log level debug: the info message never came']),
        ...(error.logs === 0 ? [] : [`log level error: ${error.logs} info message(s) came anyway`]),
        ...(none.logs === 0 ? [] : [`no log level: ${none.logs} message(s) came anyway`]),
      ];
      return problems.length === 0
        ? pass(`debug: ${debug.logs} message(s); error: none; no level: none`, seen)
        : fail(problems.join('; '), seen);
    }),
});
