import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { StepOutcome } from '../schema/result.js';
import { describeError } from '../target/connect.js';

/**
 * What one call step produced, reduced to what expectations and references
 * need. `ok`/`isError` carry the result; `error` is a JSON-RPC error with its
 * code; `timeout` is the step's deadline (or the SDK's request timeout);
 * `transport` is anything else (connection closed, process gone, HTTP error).
 */
export interface CallOutcome {
  outcome: StepOutcome;
  /** The tool result, for ok and isError. */
  result?: Record<string, unknown>;
  code?: number;
  /** The error message, or the isError text. */
  message?: string;
}

/** The value later steps reference as `steps.NAME`. */
export interface StepValue {
  text: string;
  structured: unknown;
  content: unknown[];
  isError: boolean;
  result: Record<string, unknown> | undefined;
  error: { code?: number; message: string } | undefined;
}

export function fromResult(result: Record<string, unknown>): CallOutcome {
  const isError = result.isError === true;
  return { outcome: isError ? 'isError' : 'ok', result, message: isError ? textOf(result) : undefined };
}

export function fromError(err: unknown): CallOutcome {
  if (err instanceof ProtocolError) return { outcome: 'error', code: err.code, message: err.message };
  if (err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout) {
    return { outcome: 'timeout', message: `the request timed out: ${err.message}` };
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'number' && Number.isInteger(code)) {
    return { outcome: 'error', code, message: (err as Error).message };
  }
  return { outcome: 'transport', message: describeError(err) };
}

/** All text content parts, joined by newlines. */
export function textOf(result: Record<string, unknown> | undefined): string {
  const content = Array.isArray(result?.content) ? (result.content as Array<Record<string, unknown>>) : [];
  return content
    .filter((c) => c?.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text as string)
    .join('\n');
}

export function stepValue(o: CallOutcome): StepValue {
  return {
    text: textOf(o.result),
    structured: o.result?.structuredContent,
    content: Array.isArray(o.result?.content) ? (o.result.content as unknown[]) : [],
    isError: o.outcome === 'isError',
    result: o.result,
    error:
      o.outcome === 'ok' || o.outcome === 'isError' ? undefined : { code: o.code, message: o.message ?? '' },
  };
}

/** One line describing an outcome, for reports. */
export function describeOutcome(o: CallOutcome): string {
  switch (o.outcome) {
    case 'ok':
      return 'ok';
    case 'isError':
      return `isError: ${clip(o.message ?? '')}`;
    case 'error':
      return `JSON-RPC error ${o.code}: ${clip(o.message ?? '')}`;
    default:
      return `${o.outcome}: ${clip(o.message ?? '')}`;
  }
}

export function clip(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
