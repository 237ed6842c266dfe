import { tapMessages } from '../target/connect.js';
import type { Target } from '../target/target.js';

/**
 * Counts what crosses the client transports of one target: JSON-RPC
 * requests sent, and the UTF-8 bytes of every message sent and received
 * (the serialized JSON-RPC message; HTTP headers and SSE framing excluded,
 * so every transport is counted alike). Installed on connected transports.
 */
export interface WireCounts {
  requests: number;
  sent: number;
  received: number;
}

export interface Meter {
  /** Counts since the last take, then starts again from zero. */
  take(): WireCounts;
}

export function meterTarget(target: Target): Meter {
  let counts: WireCounts = { requests: 0, sent: 0, received: 0 };
  const size = (m: unknown) => Buffer.byteLength(JSON.stringify(m) ?? '', 'utf8');
  for (const c of target.connections.values()) {
    tapMessages(c.transport, (direction, message) => {
      if (direction === 'received') {
        counts.received += size(message);
        return;
      }
      counts.sent += size(message);
      if (typeof message === 'object' && message !== null && 'method' in message && 'id' in message)
        counts.requests++;
    });
  }
  return {
    take() {
      const out = counts;
      counts = { requests: 0, sent: 0, received: 0 };
      return out;
    },
  };
}
