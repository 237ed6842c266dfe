import type { Problem } from '../errors.js';
import type { TargetSpec } from '../schema/target.js';
import { throwFlagProblems } from './flags.js';
import { CHECK_FLAGS, targetOfAnswers } from './gateway-answers.js';

/** The flags of `check` that say what to check. */
export interface CheckTargetFlags {
  target?: string;
  url?: string;
  gatewayCmd?: string;
  transport?: string;
  naming?: string;
  ready?: string;
  fleetAt?: string;
}

/**
 * What `check` runs against: the target file, or a gateway target built in
 * memory from `--url` / `--gateway-cmd` (validated by the target schema, its
 * problems named by flag). Every problem of every flag at once (INVALID_ARGS).
 */
export function checkTargetOf(f: CheckTargetFlags): string | TargetSpec {
  const problems: Problem[] = [];
  const quick = f.url !== undefined || f.gatewayCmd !== undefined;
  const quickOnly = { transport: f.transport, naming: f.naming, ready: f.ready };
  if (f.fleetAt !== undefined && !isHttpUrl(f.fleetAt))
    problems.push({
      path: '--fleet-at',
      message: `expected the fleet's control API URL (http://HOST:PORT), got '${f.fleetAt}'`,
    });
  if (f.target !== undefined && quick) {
    // Both: say so, and list what else is wrong with the quick flags too.
    problems.push({ path: '--target', message: 'give a target file or --url/--gateway-cmd, not both' });
  } else if (f.target !== undefined) {
    for (const [k, v] of Object.entries(quickOnly)) {
      if (v !== undefined)
        problems.push({
          path: `--${k}`,
          message: 'only with --url or --gateway-cmd (a target file says it itself)',
        });
    }
    throwFlagProblems('check', problems);
    return f.target;
  }
  if (!quick) {
    problems.push({
      path: '--target',
      message: 'expected a target file, or --url URL (a running gateway) or --gateway-cmd COMMAND (missing)',
    });
    throwFlagProblems('check', problems);
  }
  return targetOfAnswers(
    'check',
    { url: f.url, cmd: f.gatewayCmd, transport: f.transport, naming: f.naming, ready: f.ready },
    CHECK_FLAGS,
    problems,
  );
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}
