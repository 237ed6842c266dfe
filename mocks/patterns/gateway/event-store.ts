import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

/** Events kept per session for redelivery; older ones are dropped first. */
const MAX_EVENTS = 1000;

interface Stored {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
}

/**
 * One session's SSE events in memory, so a client that lost a stream can
 * resume it with `Last-Event-ID` (MCP 2025-11-25 basic/transports
 * §Resumability and Redelivery). Event ids are `<stream>_<n>`: unique in the
 * session, and naming the stream they belong to, so a replay never crosses
 * streams. With `refuse` (DEFECT no-resume) ids are still handed out but a
 * replay fails.
 */
export class SessionEventStore implements EventStore {
  private readonly events: Stored[] = [];
  private next = 1;

  constructor(private readonly refuse = false) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}_${this.next++}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.events.find((e) => e.id === eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    if (this.refuse) throw new Error('resuming a stream is not supported');
    const at = this.events.findIndex((e) => e.id === lastEventId);
    if (at === -1) throw new Error(`unknown event id ${lastEventId}`);
    const { streamId } = this.events[at]!;
    for (const e of this.events.slice(at + 1)) {
      // The priming event (an empty message) only sets the client's cursor: nothing to redeliver.
      if (e.streamId === streamId && Object.keys(e.message).length > 0) await send(e.id, e.message);
    }
    return streamId;
  }
}
