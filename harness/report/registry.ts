import type { RunReport } from '../schema/result.js';
import { consoleReporter } from './console.js';
import { resolveFormats, type WriteFormatsOptions, writeFormats } from './formats.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { ReportFormat } from './names.js';
import { promReporter } from './prom-text.js';
import type { Reporter } from './reporter.js';

/** Every output format, by the name used in `--format`. A new reporter is one file plus one line here. */
export const REPORTERS = {
  console: consoleReporter,
  json: jsonReporter,
  junit: junitReporter,
  md: markdownReporter,
  html: htmlReporter,
  prom: promReporter,
} as const satisfies Record<ReportFormat, Reporter>;

export type ReporterName = keyof typeof REPORTERS;

export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

/**
 * Resolve format names (as given to `--format`, comma lists allowed) to
 * reporters, once each. Unknown names throw INVALID_ARGS listing them all.
 */
export function resolveReporters(formats: readonly string[]): Reporter[] {
  return resolveFormats<Reporter>(REPORTERS, formats, 'report');
}

export interface WriteReportsOptions extends WriteFormatsOptions {
  formats: readonly string[];
}

/**
 * Render the report in every requested format: file reporters into `dir`,
 * the console reporter to `stream`. Returns the paths of the files written.
 * Formats are validated before anything is written.
 */
export async function writeReports(report: RunReport, options: WriteReportsOptions): Promise<string[]> {
  return writeFormats(report, resolveReporters(options.formats), options);
}
