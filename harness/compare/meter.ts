import type { Transport } from '@modelcontextprotocol/client';
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
    const t: Transport = c.transport;
    const send = t.send.bind(t);
    t.send = (message, options) => {
      counts.sent += size(message);
      if ('method' in message && 'id' in message) counts.requests++;
      return send(message, options);
    };
    const handler = t.onmessage;
    if (handler) {
      t.onmessage = ((message, extra) => {
        counts.received += size(message);
        return handler(message, extra);
      }) as typeof handler;
    }
  }
  return {
    take() {
      const out = counts;
      counts = { requests: 0, sent: 0, received: 0 };
      return out;
    },
  };
}
