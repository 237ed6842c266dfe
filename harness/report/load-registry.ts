import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import type { LoadReport } from '../schema/load.js';
import { type OutputStream, shouldUseColor } from './console.js';
import { loadConsoleReporter } from './load-console.js';
import { loadJsonReporter } from './load-json.js';
import { loadJunitReporter } from './load-junit.js';
import { loadMarkdownReporter } from './load-markdown.js';
import type { LoadReporter } from './load-reporter.js';

/**
 * Every format a load report can be written in, by its `--format` name. The
 * run reporters (registry.ts) take a RunReport, so load reports have this
 * registry of their own; a new one is one file plus one line here.
 */
export const LOAD_REPORTERS = {
  console: loadConsoleReporter,
  json: loadJsonReporter,
  junit: loadJunitReporter,
  md: loadMarkdownReporter,
} as const satisfies Record<string, LoadReporter>;

export type LoadFormat = keyof typeof LOAD_REPORTERS;
export const LOAD_FORMATS = Object.keys(LOAD_REPORTERS) as LoadFormat[];

/** Resolve `--format` values (comma lists allowed), once each; unknown names throw INVALID_ARGS listing all. */
export function resolveLoadReporters(formats: readonly string[]): LoadReporter[] {
  const names = formats
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !Object.hasOwn(LOAD_REPORTERS, n));
  if (unknown.length > 0) {
    throw new HarnessError(
      'INVALID_ARGS',
      `unknown load report format ${unknown.map((u) => `"${u}"`).join(', ')}`,
      {
        problems: unknown.map((u) => ({
          path: '--format',
          message: `unknown format "${u}"; expected one of ${LOAD_FORMATS.join(', ')}`,
        })),
      },
    );
  }
  return [...new Set(names as LoadFormat[])].map((n) => LOAD_REPORTERS[n]);
}

/**
 * Write a load report in every requested format: files into `dir` (created
 * when missing), the console summary to `stream`. Returns the files written.
 */
export async function writeLoadReports(
  report: LoadReport,
  options: { dir: string; formats: readonly string[]; stream?: OutputStream },
): Promise<string[]> {
  const reporters = resolveLoadReporters(options.formats);
  const paths: string[] = [];
  for (const reporter of reporters) {
    if (reporter.fileName === undefined) {
      options.stream?.write(
        reporter.render(report, { color: options.stream ? shouldUseColor(options.stream) : false }),
      );
      continue;
    }
    await mkdir(options.dir, { recursive: true });
    const path = resolve(join(options.dir, reporter.fileName));
    const text = reporter.render(report, { color: false });
    await writeFile(path, text.endsWith('\n') ? text : `${text}\n`, 'utf8');
    paths.push(path);
  }
  return paths;
}
