import type { CallRecord } from '../../schema/call-log.js';
import type { Era } from '../../schema/era.js';
import { type ServerSpec, servedEra, type ToolSpec } from '../../schema/fleet.js';
import type { CheckContext } from '../context.js';
import { protocolFor } from '../era.js';
import type { Session } from '../session.js';
import { blocked, type Verdict } from '../types.js';

/**
 * What the cross-era checks share: a session of a given era that answers
 * sampling and elicitation (and counts what reached it), and the fleet's
 * servers by the era they serve.
 */

export interface EraClient {
  session: Session;
  /** Methods of the questions (sampling/createMessage, elicitation/create) that reached this client. */
  asked: string[];
  /** What this client answers: a model name and text no one else produces. */
  reply: { model: string; text: string };
}

/** A session speaking `era`, able to answer sampling and elicitation; blocked when the SUT will not speak it. */
export async function eraClient(ctx: CheckContext, era: Era): Promise<EraClient | Verdict> {
  const reply = { model: `mcp-harness-${era}`, text: `reply ${Math.random().toString(36).slice(2, 10)}` };
  let session: Session;
  try {
    session = await ctx.open({
      label: `${era} client`,
      protocol: protocolFor(era),
      clientOptions: { capabilities: { sampling: {}, elicitation: { form: {} } } },
    });
  } catch (e) {
    return blocked(`a ${era} client could not connect: ${(e as Error).message}`, 'modern.discover');
  }
  const asked: string[] = [];
  const { client } = session.connection;
  client.setRequestHandler('sampling/createMessage', async () => {
    asked.push('sampling/createMessage');
    return { model: reply.model, role: 'assistant', content: { type: 'text', text: reply.text } };
  });
  client.setRequestHandler('elicitation/create', async () => {
    asked.push('elicitation/create');
    return { action: 'accept', content: { answer: reply.text } };
  });
  return { session, asked, reply };
}

export const isVerdict = (v: unknown): v is Verdict =>
  typeof v === 'object' && v !== null && 'status' in v && typeof (v as Verdict).status === 'string';

/** Fleet servers serving one of `eras` (legacy: 2025 only; modern: 2026-07-28 only; dual: both). */
export function serversServing(
  ctx: CheckContext,
  eras: ReadonlyArray<'legacy' | 'modern' | 'dual'>,
): ServerSpec[] {
  return ctx.fleet.spec.servers.filter((s) => eras.includes(servedEra(s)));
}

/** `server.tool` of the first tool of `server` matching `pred` that no fault of the server touches. */
export function toolOf(server: ServerSpec, pred: (t: ToolSpec) => boolean): string | undefined {
  const faulted = new Set(
    server.faults.flatMap((f) => ('tools' in f && Array.isArray(f.tools) ? f.tools : [])),
  );
  const t = server.tools.find((tool) => pred(tool) && !faulted.has(tool.name));
  return t ? `${server.name}.${t.name}` : undefined;
}

/** A tool that answers plainly when called without arguments: no question to the client, no error. */
export const plain = (t: ToolSpec): boolean =>
  !t.ask && !t.result?.isError && !((t.inputSchema.required as unknown[] | undefined)?.length ?? 0);

/** The eras in which `server` received `tool` calls, from its call log. */
export async function erasSeen(ctx: CheckContext, server: string, tool: string): Promise<string[]> {
  const calls: CallRecord[] = await ctx.mock(server).calls();
  return [...new Set(calls.filter((c) => c.tool === tool).map((c) => c.era ?? 'unknown'))];
}
