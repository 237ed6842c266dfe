import type { LoadReport } from '../schema/load.js';
import { resolveFormats, type WriteFormatsOptions, writeFormats } from './formats.js';
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
  return resolveFormats<LoadReporter>(LOAD_REPORTERS, formats, 'load report');
}

/**
 * Write a load report in every requested format: files into `dir` (created
 * when missing), the console summary to `stream`. Returns the files written.
 */
export async function writeLoadReports(
  report: LoadReport,
  options: WriteFormatsOptions & { formats: readonly string[] },
): Promise<string[]> {
  return writeFormats(report, resolveLoadReporters(options.formats), options);
}
