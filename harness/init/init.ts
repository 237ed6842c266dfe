import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { type ChecksRun, runChecks } from '../checks/run-checks.js';
import type { Problem } from '../errors.js';
import { isHarnessError } from '../errors.js';
import { loadTarget, type TargetSpec } from '../schema/target.js';
import { type DetectedNaming, detectNaming } from './detect-naming.js';
import { type AnswerFlags, type GatewayAnswers, targetOfAnswers } from './gateway-answers.js';
import { renderTargetYaml } from './target-yaml.js';

/**
 * `mcp-harness init`: turn a gateway owner's answers into a commented target
 * file, detect the naming rule by starting the gateway once in front of the
 * conformance fleet (when not given), prove the file with one
 * `gateway.handshake` check, and say what to run next.
 */
export const INIT_FLAGS: AnswerFlags = {
  name: '--name',
  url: '--url',
  cmd: '--cmd',
  transport: '--transport',
  naming: '--naming',
  ready: '--ready',
};

export const DEFAULT_TARGET_FILE = 'gateway.target.yaml';

export interface InitOptions {
  answers: GatewayAnswers;
  /** Where to write the target file (default gateway.target.yaml). */
  out?: string;
  /** Replace an existing file. */
  overwrite?: boolean;
  /** Run the handshake check on the written file (default true). */
  prove?: boolean;
  signal?: AbortSignal;
}

export interface InitResult {
  file: string;
  target: TargetSpec;
  /** Set when the naming was detected (not given). */
  detected?: DetectedNaming;
  /** Why detection did not work (the file then says origin). */
  detectError?: string;
  /** The handshake check on the written file. */
  proof?: ChecksRun;
  /** The command to run next. */
  next: string;
}

export async function initTarget(opts: InitOptions): Promise<InitResult> {
  const file = resolve(opts.out ?? DEFAULT_TARGET_FILE);
  const earlier: Problem[] = [];
  if (existsSync(file) && !opts.overwrite)
    earlier.push({ path: '--out', message: `${file} exists: give --yes to replace it, or another --out` });
  let target = targetOfAnswers('init', opts.answers, INIT_FLAGS, earlier);

  let detected: DetectedNaming | undefined;
  let detectError: string | undefined;
  if (opts.answers.naming === undefined) {
    try {
      detected = await detectNaming(target, opts.signal);
      target = { ...target, naming: detected.naming };
    } catch (e) {
      if (!isHarnessError(e) || e.code === 'INVALID_CONFIG') throw e;
      detectError = e.message;
    }
  }
  await writeFile(file, renderTargetYaml(target, { naming: detected?.evidence }));
  // What was written is what runs: read back through the schema.
  target = await loadTarget(file);
  const proof =
    opts.prove === false
      ? undefined
      : await runChecks({ target: file, only: ['gateway.handshake'], signal: opts.signal });
  const shown = relative(process.cwd(), file) || file;
  const passed = proof?.results.every((r) => r.status === 'pass') ?? true;
  const next = passed
    ? `npx mcp-harness check --target ${shown}`
    : `edit ${shown}, then: npx mcp-harness check --target ${shown} --only gateway.handshake`;
  return {
    file,
    target,
    ...(detected ? { detected } : {}),
    ...(detectError ? { detectError } : {}),
    ...(proof ? { proof } : {}),
    next,
  };
}
