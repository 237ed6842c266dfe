import { HarnessError } from '../../../harness/errors.js';

/**
 * The reference gateway's `--defect NAME` switches. Each reproduces one
 * gateway bug seen in the field and is implemented as a small conditional at
 * the point it applies (grep for the name). A defect makes the gateway break
 * exactly one rule of the correct behaviour described in docs/reference-gateway.md.
 */
export const DEFECTS = {
  // handshake and capabilities
  'legacy-version-only': 'negotiates at most protocol 2025-06-18, even with a client offering 2025-11-25',
  'version-echoed':
    'answers initialize with whatever protocol revision the client offers, even one it does not speak',
  'capabilities-overclaimed': 'advertises the completions capability without serving completion/complete',
  'completion-dropped':
    'neither advertises completions nor relays completion/complete, though every downstream serves it',
  'subscribe-dropped':
    'answers resources/subscribe itself without relaying it, so no resources/updated ever arrives',
  // tool catalogue
  'tool-lost': "silently drops one downstream tool (the first server's last) from tools/list and routing",
  'tool-unlisted':
    "leaves one downstream tool (the first server's last) out of tools/list but still routes calls to it",
  'duplicate-names': 'no namespacing: colliding tool names are listed twice',
  shadowing: "no namespacing: a later server's tool replaces an earlier server's tool of the same name",
  'invalid-names': "joins server and tool with '/', producing names outside [A-Za-z0-9_.-]",
  'schema-stripped': 'replaces every inputSchema by an empty object schema',
  'annotations-dropped': 'drops tool annotations',
  'no-pagination': 'aggregates only the first page of each downstream list',
  'bad-cursor-accepted': 'answers an invalid cursor with the first page instead of -32602',
  'tools-late': 'tools/list is empty for the first 500 ms after the handshake',
  'calls-before-ready-fail':
    'until a new session has its first tools/list answered (within 500 ms of the handshake), a call arriving while another is served fails (-32603, not ready yet)',
  'added-tool-unroutable':
    'lists a tool a downstream added after the session started, but answers calls to it with -32602 (unknown tool)',
  // results and errors
  'iserror-to-success': 'strips isError from tool results',
  'content-dropped': 'drops every content block that is not text from tool results',
  'iserror-to-jsonrpc': 'turns isError results into JSON-RPC errors (-32603)',
  'iserror-first-block-only': 'keeps only the first content block of isError results',
  'jsonrpc-error-flattened': 'replaces the code of downstream JSON-RPC errors by -32603',
  'unknown-tool-iserror': 'answers an unknown tool with an isError result instead of -32602',
  'leak-internals': 'error messages carry the exception stack trace (file paths)',
  'leak-js-error':
    'error messages carry the JavaScript engine error its formatter hits (Cannot read properties of undefined), no stack or path',
  'anonymous-errors': 'error messages do not name the failing server and tool',
  // resilience
  'no-timeout': 'waits forever for a hung downstream (no per-call timeout)',
  'dead-backend-cascade': 'once one downstream has died, calls to every other downstream fail too',
  'down-at-start-fatal': 'tools/list fails while a downstream that was down at session start stays down',
  'no-reconnect': 'a downstream that died stays dead for the rest of the session',
  'respawn-unserved':
    'starts a stdio downstream again after it died, but fails every call to the new process',
  'malformed-poisons': 'after one unparsable message from a downstream, every later call to it fails',
  'stale-session': 'does not re-initialize when a downstream answers 404 (session expired)',
  'no-failover': 'only the first replica of a replicated server is ever used',
  'outage-silent':
    "drops a down downstream's tools from tools/list without sending notifications/tools/list_changed",
  // notifications and server-to-client requests
  'list-changed-dropped': 'does not relay notifications/tools/list_changed upstream',
  'progress-dropped': 'does not relay progress notifications',
  'progress-after-result': 'relays progress notifications only after the result',
  'cancel-dropped': 'does not relay notifications/cancelled downstream',
  'logs-dropped': 'does not relay logging messages',
  'sampling-fabricated': 'answers sampling/createMessage itself instead of relaying it upstream',
  'notifications-leak': 'relays logs and list_changed to every upstream session',
  // sessions and concurrency
  'crossed-responses': 'concurrent calls finishing close together may get each other’s results',
  'session-leak':
    'never releases the downstream sessions/processes of an upstream session its client closed (DELETE)',
  'idle-sessions-kept': 'never expires a session whose client went away without DELETE (no idle timeout)',
  'session-not-validated': 'answers an unknown Mcp-Session-Id with 400 instead of 404',
  'no-ping': 'answers ping with -32601 (method not found)',
  // pass-through
  'no-trace': 'strips params._meta (traceparent) before forwarding',
  'args-mutated': 'adds a key (_gateway) to the tool arguments',
  'resources-unrouted': 'sends every resources/read to the first downstream server',
  'prompts-unrouted': 'forwards prompts/get with the exposed (prefixed) name',
  // security
  'auth-forwarded': 'forwards the upstream Authorization and Cookie headers to HTTP downstreams',
  'no-origin-check': 'accepts any Origin header on HTTP',
  'no-host-check': 'accepts any Host header on HTTP (DNS rebinding) while listening on loopback',
  // HTTP transport
  'no-resume': 'sends SSE event ids but answers a GET with Last-Event-ID with an error instead of resuming',
  'error-id-null': 'HTTP-level error bodies carry id null instead of the id of the request they answer',
  'oversize-crash': 'a request larger than 1 MiB kills the gateway',
  // protocol eras (2025-11-25 and 2026-07-28)
  'modern-unserved':
    'serves only the 2025 era: a 2026-07-28 request (server/discover included) is refused like a request without a session',
  'method-header-ignored':
    'does not compare the Mcp-Method/Mcp-Name headers with the body: a mismatch is served instead of refused (-32020)',
  'mrtr-unbridged':
    "refuses a 2025-era backend's sampling/elicitation request during a modern client's call instead of asking the client with input_required",
  'legacy-downstream-only':
    'connects to every backend with the 2025 initialize handshake only, so a 2026-07-28-only backend is unreachable',
  'input-required-unfulfilled':
    "does not fulfil a 2026-era backend's input_required for a 2025 client (no sampling/elicitation request relayed): the call fails",
  'result-type-dropped': 'strips resultType from its 2026-07-28 prompts/list results (JSON bodies)',
  'legacy-backends-hidden':
    'lists to 2026-07-28 clients only the backends that speak 2026-07-28 (2025-only backends are hidden from them)',
  'modern-backends-hidden':
    'lists to 2025 clients only the backends it reaches with the 2025 handshake (a backend answering server/discover is hidden from them)',
  'log-level-ignored':
    "relays a backend's log messages to a 2026-07-28 client whatever log level its request asked for (or none)",
  'stream-close-ignored':
    "does not cancel the downstream call when a 2026-07-28 client closes the call's stream (its way of cancelling)",
  'request-state-dropped':
    "forwards a modern client's retry to a 2026-era backend without its requestState and inputResponses",
  'cache-hints-widened':
    'puts its own cache hints (ttlMs one hour, cacheScope public) on 2026-07-28 lists and reads, whatever its backends gave',
  'listen-silent':
    'acknowledges a 2026-07-28 subscriptions/listen stream but never sends a list change on it',
  'modern-stateful':
    'remembers 2026-07-28 clients by their clientInfo: a request from one that has not sent server/discover first is refused (-32600)',
} as const satisfies Record<string, string>;

export type DefectName = keyof typeof DEFECTS;

export const DEFECT_NAMES = Object.keys(DEFECTS) as DefectName[];

/** The set of defects a gateway runs with; `has` is the one question code asks. */
export class Defects {
  private readonly on: ReadonlySet<DefectName>;
  constructor(names: Iterable<DefectName> = []) {
    this.on = new Set(names);
  }
  has(name: DefectName): boolean {
    return this.on.has(name);
  }
  list(): DefectName[] {
    return [...this.on];
  }
}

export function isDefectName(name: string): name is DefectName {
  return Object.hasOwn(DEFECTS, name);
}

/** Validate defect names (from `--defect` or options); every unknown one is a problem (exit 2). */
export function parseDefects(names: readonly string[], label = '--defect'): Defects {
  const problems = names
    .map((n, i) => ({ n, i }))
    .filter(({ n }) => !isDefectName(n))
    .map(({ n, i }) => ({
      path: `${label}[${i}]`,
      message: `unknown defect '${n}' (known: ${DEFECT_NAMES.join(', ')})`,
    }));
  if (problems.length > 0) {
    throw new HarnessError('INVALID_ARGS', `${problems.length} unknown defect(s)`, { problems });
  }
  return new Defects(names as DefectName[]);
}

/** The registry as a Markdown table (used by `main.js --list-defects` and the docs). */
export function defectsTable(): string {
  const rows = DEFECT_NAMES.map((n) => `| \`${n}\` | ${DEFECTS[n]} |`);
  return ['| defect | what the gateway does wrong |', '|---|---|', ...rows].join('\n');
}
