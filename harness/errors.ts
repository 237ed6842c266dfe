/**
 * One catalog of harness error codes. Each code carries the exit code the CLI
 * returns and a hint telling the user what to do next. MCP wire errors are not
 * HarnessErrors: they stay JSON-RPC errors and become check/step data.
 */
export const EXIT = { ok: 0, failed: 1, invalidInput: 2, unreachable: 3, internal: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const ERROR_CATALOG = {
  INVALID_CONFIG: { exit: EXIT.invalidInput, hint: 'fix the listed fields and run again' },
  INVALID_ARGS: { exit: EXIT.invalidInput, hint: 'see `mcp-harness <command> --help`' },
  FILE_NOT_FOUND: {
    exit: EXIT.invalidInput,
    hint: 'check the path (relative paths resolve from the current directory)',
  },
  UNKNOWN_SERVER: { exit: EXIT.invalidInput, hint: 'use a server name declared in the fleet file' },
  PORT_IN_USE: { exit: EXIT.unreachable, hint: 'choose another port or let the harness pick one (port: 0)' },
  SUT_UNREACHABLE: {
    exit: EXIT.unreachable,
    hint: 'check that the system under test is running and the URL/command is right',
  },
  SUT_START_FAILED: { exit: EXIT.unreachable, hint: 'run the launch command by hand to see why it fails' },
  INTERNAL: {
    exit: EXIT.internal,
    hint: 'this is a bug in mcp-harness; please report it with --verbose output',
  },
} as const satisfies Record<string, { exit: ExitCode; hint: string }>;

export type HarnessErrorCode = keyof typeof ERROR_CATALOG;

/** One problem found in an input file or flag: where it is and what was expected. */
export interface Problem {
  path: string;
  message: string;
}

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  readonly problems: Problem[];
  constructor(
    code: HarnessErrorCode,
    message: string,
    options: { problems?: Problem[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.problems = options.problems ?? [];
  }
  get exitCode(): ExitCode {
    return ERROR_CATALOG[this.code].exit;
  }
  get hint(): string {
    return ERROR_CATALOG[this.code].hint;
  }
  /** Multi-line human rendering: the message, every problem on its own line, then the hint. */
  render(): string {
    const lines = [`error [${this.code}]: ${this.message}`];
    for (const p of this.problems) lines.push(`  - ${p.path || '(root)'}: ${p.message}`);
    lines.push(`hint: ${this.hint}`);
    return lines.join('\n');
  }
}

export function isHarnessError(e: unknown): e is HarnessError {
  return e instanceof HarnessError;
}
