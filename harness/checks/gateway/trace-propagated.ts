import { randomBytes } from 'node:crypto';
import { nowUs } from '../../measure/clock.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { callRaw, describeAnswer, exposedTool, networkServers } from './catalogue-util.js';

const TRACEPARENT_RE = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;

/**
 * W3C trace context in `params._meta.traceparent` reaches the downstream
 * with the same trace id (a gateway may put its own span in between, so the
 * parent id may change).
 */
export const tracePropagated = check({
  id: 'gateway.trace-propagated',
  title: 'params._meta.traceparent reaches the downstream with the same trace id',
  suite: 'gateway',
  specRef:
    'practice: OpenTelemetry MCP semantic conventions (trace context in params._meta.traceparent); MCP 2025-11-25 basic §_meta',
  severity: 'should',
  expected:
    'a tools/call carrying _meta.traceparent arrives at the downstream with a valid traceparent of the same trace id',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const server = networkServers(ctx).find((s) => s.tools.length > 0);
    if (!server) return skip('no network server of the fleet has tools');
    const tool = (server.tools.find((t) => t.name === 'echo') ?? server.tools[0])?.name as string;
    const name = await exposedTool(ctx, `${server.name}.${tool}`);
    if (!name)
      return blocked(`the SUT does not expose '${server.name}.${tool}'`, 'gateway.tools-exposed-once');

    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const since = nowUs();
    const a = await callRaw(
      ctx,
      session,
      name,
      { message: 'trace' },
      { traceparent, tracestate: 'harness=1' },
    );
    const got = (await ctx.mock(server.name).calls({ tool, since })).at(-1);
    if (!got) return fail(`${server.name} received no ${tool} call (the call: ${describeAnswer(a)})`);
    const received = got.traceparent ?? (got.meta?.traceparent as string | undefined);
    if (!received) return fail(`sent traceparent ${traceparent}; ${server.name}/${tool} received none`);
    const m = TRACEPARENT_RE.exec(received);
    if (!m) return fail(`sent ${traceparent}; received a malformed traceparent ${JSON.stringify(received)}`);
    return m[1] === traceId
      ? pass(`sent ${traceparent}; ${server.name}/${tool} received ${received} (same trace id)`)
      : fail(`sent trace id ${traceId}; ${server.name}/${tool} received ${received} (another trace)`);
  },
});
