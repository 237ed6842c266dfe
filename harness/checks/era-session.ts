import { ProtocolError } from '@modelcontextprotocol/client';
import { describeError } from '../target/connect.js';
import type { CheckContext } from './context.js';
import { eraOfVersion } from './era.js';
import type { Session } from './session.js';

/**
 * What a check does differently on a session that speaks 2026-07-28: list
 * changes arrive only on a subscriptions/listen stream the client opens, and
 * there is no ping (a list request shows the SUT is there instead).
 */

export function speaksModern(session: Session): boolean {
  const v = session.connection.client.getNegotiatedProtocolVersion();
  return v !== undefined && eraOfVersion(v) === 'modern';
}

/** On a 2026-07-28 session, open a subscriptions/listen stream for list changes (closed after the check). */
export async function listenForChanges(ctx: CheckContext, session: Session): Promise<void> {
  if (!speaksModern(session)) return;
  const sub = await session.connection.client.listen(
    { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true },
    { timeout: ctx.timeoutMs },
  );
  ctx.defer(() => sub.close());
}

/**
 * Whether the SUT still answers on `session`: ping (any JSON-RPC answer, even
 * -32601, counts), or tools/list on 2026-07-28. Undefined when it answered,
 * else what went wrong.
 */
export function stillAnswers(session: Session, timeoutMs: number): Promise<string | undefined> {
  const { client } = session.connection;
  const ask = speaksModern(session)
    ? client.listTools(undefined, { timeout: timeoutMs })
    : client.ping({ timeout: timeoutMs });
  return ask.then(
    () => undefined,
    (e: unknown) => (e instanceof ProtocolError ? undefined : describeError(e)),
  );
}
