import { HarnessError } from '../../../harness/errors.js';

/**
 * The chain's `--defect` switches, one per real-world chain bug. Each is a
 * small conditional where it applies and is meant to make exactly one chain
 * conformance check fail. One table; a new defect is one line here plus its
 * conditional.
 */
export const CHAIN_DEFECTS = {
  'wrong-order': 'pipeline steps run in reverse of the declared order',
  'serial-fanout': 'fan-out branches run one after the other instead of concurrently',
  'partial-swallowed':
    'a failed fan-out branch is silently omitted: no `failed` list, no mention in the text',
  'no-short-circuit':
    'a pipeline keeps calling later steps after a step failed (the answer still reports it)',
  'unstructured-error':
    'a failure is answered as plain text `Error: …` without naming step/server/tool and without structuredContent',
  'error-as-success': 'a failed composite answers without isError (same content and structuredContent)',
  'no-step-timeout': 'no per-step timeout: a hung downstream call is waited on forever',
  'shared-client':
    'one long-lived downstream client per server shared by every upstream request; concurrent calls of the same server tool are coalesced by tool name, so callers get each other’s results',
  'no-trace': 'params._meta (and with it traceparent) is not forwarded to downstream calls',
  'args-mutated':
    'downstream arguments carry an extra `_chain: {tool, step}` key the chain file never declared',
  'leak-internals': 'error texts and structuredContent carry the chain’s stack trace',
} as const;

export type ChainDefect = keyof typeof CHAIN_DEFECTS;
export const CHAIN_DEFECT_NAMES = Object.keys(CHAIN_DEFECTS) as ChainDefect[];

/** The set of enabled defects; unknown names are INVALID_ARGS listing every one. */
export function parseDefects(names: readonly string[] = []): ReadonlySet<ChainDefect> {
  const unknown = names.filter((n) => !(n in CHAIN_DEFECTS));
  if (unknown.length > 0) {
    throw new HarnessError('INVALID_ARGS', `unknown chain defect${unknown.length > 1 ? 's' : ''}`, {
      problems: unknown.map((n) => ({
        path: `--defect ${n}`,
        message: `expected one of ${CHAIN_DEFECT_NAMES.join(', ')}`,
      })),
    });
  }
  return new Set(names as ChainDefect[]);
}
