import { clip } from '../runner/outcome.js';
import type { CheckResult } from '../schema/result.js';

/**
 * `--verbose`: what one check sent to the SUT and what came back, as lines
 * under its result. Bounded: each message is clipped, and past the limit
 * only the number of further messages is kept.
 */
export type MessageObserver = (direction: 'sent' | 'received', message: unknown) => void;

export interface TranscriptLimits {
  /** Messages kept per check (default 200). */
  maxMessages?: number;
  /** Characters kept per message (default 400). */
  maxChars?: number;
}

export interface Transcript {
  /** The observer for one session (connectEndpoint/openSession `onMessage`); `label` names the session. */
  tap(label: string): MessageObserver;
  /** The lines so far: `→ label message` sent, `← label message` received. */
  lines(): string[];
}

export function createTranscript(limits: TranscriptLimits = {}): Transcript {
  const maxMessages = limits.maxMessages ?? 200;
  const maxChars = limits.maxChars ?? 400;
  const kept: string[] = [];
  let dropped = 0;
  return {
    tap: (label) => (direction, message) => {
      if (kept.length >= maxMessages) {
        dropped++;
        return;
      }
      kept.push(`${direction === 'sent' ? '→' : '←'} ${label}  ${clip(render(message), maxChars)}`);
    },
    lines: () => (dropped > 0 ? [...kept, `… ${dropped} more message(s) not shown`] : [...kept]),
  };
}

/**
 * For a connection that outlives one check (the SUT's main session): one
 * observer for the connection, forwarding to the transcript of whichever
 * check runs now (none between checks).
 */
export interface TranscriptRelay {
  observer: MessageObserver;
  use(transcript: Transcript | undefined): void;
}

export function transcriptRelay(label: string): TranscriptRelay {
  let current: MessageObserver | undefined;
  return {
    observer: (direction, message) => current?.(direction, message),
    use(transcript) {
      current = transcript?.tap(label);
    },
  };
}

/** The result with its transcript attached (unchanged when nothing was recorded). */
export function withTranscript(result: CheckResult, transcript: Transcript | undefined): CheckResult {
  const lines = transcript?.lines() ?? [];
  return lines.length > 0 ? { ...result, transcript: lines } : result;
}

function render(message: unknown): string {
  try {
    return JSON.stringify(message) ?? String(message);
  } catch {
    return String(message);
  }
}
