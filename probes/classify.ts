import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { isHarnessError } from '../harness/errors.js';
import { describeError } from '../harness/target/connect.js';
import { AnswerTooLarge } from './byte-cap.js';
import type { ErrorKind } from './result.js';

export class ProbeTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within the probe timeout (${timeoutMs} ms)`);
  }
}

const TLS = /certificate|CERT_|ERR_TLS|SSL|TLS/i;
const EXIT = /process (exited|was killed|ended)|exited with|killed by signal/i;

/** The kind and a one-line reason for an error a probe met. */
export function classify(err: unknown): { kind: ErrorKind; reason: string } {
  if (err instanceof ProbeTimeout) return { kind: 'timeout', reason: err.message };
  if (err instanceof AnswerTooLarge) return { kind: 'too_large', reason: err.message };
  if (err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout)
    return { kind: 'timeout', reason: err.message };
  if (err instanceof ProtocolError)
    return { kind: 'protocol', reason: `JSON-RPC error ${err.code}: ${err.message}` };
  const reason = isHarnessError(err) ? err.message : describeError(err);
  if (err instanceof SdkHttpError || /\bHTTP \d{3}\b/.test(reason)) return { kind: 'http', reason };
  if (TLS.test(reason) || TLS.test(causeCodes(err))) return { kind: 'tls', reason };
  if (EXIT.test(reason)) return { kind: 'process_exit', reason };
  if (/no answer within/.test(reason)) return { kind: 'timeout', reason };
  return { kind: 'connect', reason };
}

function causeCodes(err: unknown): string {
  const codes: string[] = [];
  for (let e: unknown = err, d = 0; e && d < 6; e = (e as { cause?: unknown }).cause, d++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes.join(' ');
}
