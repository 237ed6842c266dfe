import { clip } from '../runner/outcome.js';

/**
 * The one detector of a system's internals in what it tells a client: stack
 * frames (JavaScript, Java, .NET), source and filesystem paths, runtime error
 * texts (JavaScript engine messages, Python tracebacks, Go panics, Java
 * exceptions). Every check that scans errors for leaks uses it.
 *
 * Each pattern matches an engine's own phrasing with its shape (an identifier
 * right before `is not defined`, `File "…", line N`), so a message that names
 * a tool or a URL in plain words does not count: `tool 'x' is not defined on
 * server alpha`, `connection refused (http://127.0.0.1:4001/api/v1/mcp)`.
 */

export interface Leak {
  /** What kind of internals (`a stack frame`, `a Python traceback`…). */
  what: string;
  /** The matching text, clipped. */
  excerpt: string;
}

/** Where a runtime message starts: the text's start, a new line, after `: ` or a quote. */
const AT_MESSAGE = String.raw`(?:^|[\n:"'\x60(\[]\s*)`;
/** Where an engine message ends: the text's end, a new line, a quote, a bracket or punctuation. */
const MESSAGE_END = String.raw`(?=\s*$|\s*[\n"'\x60)\].,;])`;
const IDENTIFIER = String.raw`[A-Za-z_$][\w$]*`;
/** First directories of absolute paths on servers and developer machines. */
const FS_ROOTS = 'home|Users|usr|var|etc|opt|srv|tmp|app|root|private|mnt|snap|nix|workspace|proc|run';
const SOURCE_EXT = '(?:[cm]?[jt]sx?|py|go|java|kt|scala|rb|rs|cs|php|ex|exs)';

const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  // `at fn (file:line:col)`, `at file:line:col`, `at async fn (node:internal/…:line:col)`
  [
    'a stack frame',
    new RegExp(
      String.raw`\bat\s+(?:async\s+)?(?:[^\s()]+(?:\s\[as [^\]]+\])?\s+)?\(?(?:file:\/\/|node:)?[^\s()]*(?:[\\/]|\.${SOURCE_EXT}:|node:)[^\s()]*:\d+(?::\d+)?\)?`,
    ),
  ],
  [
    'a Java stack frame',
    /\bat\s+[\w$]+(?:\.[\w$<>]+)+\((?:[\w$]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/,
  ],
  ['a .NET stack frame', /\bat\s+[\w$.`<>+]+\([^)\n]*\)\s+in\s+[^\n]+:line \d+/],
  [
    'a Java exception',
    /\bException in thread "[^"]*"|\bCaused by: [\w$.]+(?:Exception|Error)\b|\b(?:java|javax|kotlin|scala)\.(?:[\w$]+\.)+[\w$]*(?:Exception|Error)\b/,
  ],
  ['a .NET exception', /\bSystem\.(?:[\w]+\.)*[\w]*Exception\b|--- End of (?:inner exception )?stack trace/],
  ['node internals', /\bnode:internal[/\\]/],
  // An absolute one: `src/config/parse.ts` in a code-search result is content, not internals.
  [
    'a source file path',
    new RegExp(
      String.raw`(?:^|[\s("'=,[{])(?:file:\/\/)?(?:[A-Za-z]:)?(?:[/\\][\w.@+-]+){2,}\.${SOURCE_EXT}\b`,
    ),
  ],
  [
    'a filesystem path',
    new RegExp(
      String.raw`(?:^|[\s("'=,[{])(?:file:\/\/)?\/(?:${FS_ROOTS})\/[\w.@+-]+(?:\/[\w.@+-]+)*|\b[A-Za-z]:\\(?:[^\\\s"']+\\)+[^\\\s"']+`,
    ),
  ],
  [
    'a JavaScript error class',
    /\b(?:TypeError|ReferenceError|SyntaxError|RangeError|EvalError|URIError|InternalError|AggregateError): \S/,
  ],
  [
    'a JavaScript engine message',
    new RegExp(
      [
        String.raw`Cannot (?:read|set) propert(?:y '[^'\n]*' of|ies of) (?:undefined|null)`,
        `${AT_MESSAGE}${IDENTIFIER} is not defined${MESSAGE_END}`,
        String.raw`${AT_MESSAGE}[\w$.[\]()]+ is not a (?:function|constructor|iterable)${MESSAGE_END}`,
        String.raw`Unexpected token .{1,20} in JSON at position \d+`,
      ].join('|'),
    ),
  ],
  [
    'a Python traceback',
    /Traceback \(most recent call last\):|\bFile "[^"\n]+", line \d+|\bname '[\w]+' is not defined\b|'NoneType' object (?:has no attribute|is not subscriptable)/,
  ],
  [
    'a Go panic',
    /(?:^|\n|:\s)panic: \S|\bgoroutine \d+ \[[\w ,]+\]:|\bruntime error: (?:invalid memory address|index out of range|slice bounds out of range|integer divide by zero)/,
  ],
];

/** JSON escapes undone (`\n`, `\"`, `\\`), so a result serialised with JSON.stringify reads as sent. */
function unescaped(text: string): string {
  return text.replace(/\\([nrt"\\/])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c,
  );
}

/** What internals a text gives away, each kind once with the first matching excerpt. */
export function leaksIn(text: string): Leak[] {
  const readable = unescaped(text);
  const found: Leak[] = [];
  for (const [what, re] of LEAKS) {
    const m = re.exec(readable);
    if (m) found.push({ what, excerpt: clip(m[0].trim(), 80) });
  }
  return found;
}

/** The first leak in a text, or undefined: for checks that report one example. */
export function firstLeak(text: string): Leak | undefined {
  return leaksIn(text)[0];
}

/** `a stack frame "at f (/srv/x.js:1:2)"`: one leak for an observation. */
export const describeLeak = (l: Leak) => `${l.what} ${JSON.stringify(l.excerpt)}`;
