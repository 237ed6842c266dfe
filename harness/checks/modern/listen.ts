import { type JSONRPCMessage, SUBSCRIPTION_ID_META_KEY } from '@modelcontextprotocol/client';
import { plain, serversServing } from '../cross-era/util.js';
import { onWire } from '../http/wire.js';
import { warmUpFailed } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import { openListen } from './listen-stream.js';
import { describeExchange, discovered, sendModern } from './wire.js';

/** The tool the check adds to a backend (and removes again). */
const ADDED = 'mcp_harness_listen_added';
/** How long the acknowledgment and the relayed change may take. */
const WAIT_MS = 2000;

const method = (m: JSONRPCMessage) => ('method' in m ? m.method : undefined);
const subscriptionOf = (m: JSONRPCMessage) =>
  'params' in m
    ? (m.params?._meta as Record<string, unknown> | undefined)?.[SUBSCRIPTION_ID_META_KEY]
    : undefined;

/**
 * In 2026-07-28 list changes reach a client only on a subscriptions/listen
 * stream it opened: acknowledged first, then each notification it asked for,
 * tagged with the subscription. Through a gateway, a backend's tool change
 * must reach such a stream.
 */
export const listen = check({
  id: 'modern.listen',
  title: "a subscriptions/listen stream receives a backend's tools/list_changed",
  suite: 'modern',
  specRef:
    'MCP 2026-07-28 basic/patterns/subscriptions (notifications/subscriptions/acknowledged first; only the types asked for; ' +
    'each carries the subscription id in _meta)',
  severity: 'must',
  eras: ['modern'],
  expected:
    `a stream asking for toolsListChanged is acknowledged (toolsListChanged honoured) within ${WAIT_MS / 1000} s; when a ` +
    `2026-07-28 backend adds a tool, notifications/tools/list_changed with the subscription id arrives on it within ` +
    `${WAIT_MS / 1000} s, and no notification type it did not ask for`,
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const unserved = await discovered(wire);
      if (unserved) return unserved;
      const backend = serversServing(ctx, ['modern', 'dual']).find((s) => s.tools.some(plain));
      if (!backend) return skip('the fleet has no 2026-07-28 backend with tools');
      const list = await sendModern(wire, 'tools/list'); // the gateway reaches the backend from here on
      if (!list.result) return warmUpFailed('tools/list', describeExchange(list));
      const stream = await openListen(wire, { toolsListChanged: true });
      ctx.defer(async () => stream.close());
      if (stream.contentType !== 'text/event-stream')
        return fail(
          `subscriptions/listen → HTTP ${stream.status} ${stream.contentType || 'no content type'}: ${stream.body.slice(0, 200) || 'no body'}`,
        );
      const ack = await stream.next(() => true, WAIT_MS);
      const evidence = () => ({ backend: backend.name, messages: stream.messages.map(method) });
      if (!ack || method(ack) !== 'notifications/subscriptions/acknowledged')
        return fail(
          ack
            ? `the first message on the stream is ${method(ack) ?? 'a response'}, not notifications/subscriptions/acknowledged`
            : `no acknowledgment within ${WAIT_MS} ms`,
          evidence(),
        );
      const honoured =
        'params' in ack ? (ack.params?.notifications as Record<string, unknown> | undefined) : undefined;
      if (honoured?.toolsListChanged !== true)
        return fail(
          `the acknowledgment does not honour toolsListChanged: ${JSON.stringify(honoured)}`,
          evidence(),
        );

      const mock = ctx.mock(backend.name);
      const t0 = performance.now();
      await mock.addTool({ name: ADDED, description: 'added by modern.listen', result: { text: 'added' } });
      ctx.defer(() => mock.removeTool(ADDED));
      const changed = await stream.next((m) => method(m) === 'notifications/tools/list_changed', WAIT_MS);
      const afterMs = Math.round(performance.now() - t0);
      const foreign = stream.messages.filter(
        (m) =>
          method(m) !== undefined &&
          !['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed'].includes(
            method(m)!,
          ),
      );
      const problems = [
        ...(changed
          ? []
          : [`no notifications/tools/list_changed within ${WAIT_MS} ms after ${backend.name} added a tool`]),
        ...(changed && subscriptionOf(changed) === undefined
          ? ['the list_changed carries no subscription id in _meta']
          : []),
        ...(subscriptionOf(ack) === undefined
          ? ['the acknowledgment carries no subscription id in _meta']
          : []),
        ...(foreign.length ? [`notifications not asked for: ${foreign.map(method).join(', ')}`] : []),
      ];
      return problems.length === 0
        ? pass(
            `acknowledged; list_changed arrived ${afterMs} ms after ${backend.name} added a tool`,
            evidence(),
          )
        : fail(problems.join('; '), evidence());
    }),
});
