import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import type { RunReport } from '../schema/result.js';
import { consoleReporter, type OutputStream, shouldUseColor } from './console.js';
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

function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(REPORTERS, name);
}

/**
 * Resolve format names (as given to `--format`, comma lists allowed) to
 * reporters, once each. Unknown names throw INVALID_ARGS listing them all.
 */
export function resolveReporters(formats: readonly string[]): Reporter[] {
  const names = formats
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isReporterName(n));
  if (unknown.length > 0) {
    const valid = REPORTER_NAMES.join(', ');
    throw new HarnessError(
      'INVALID_ARGS',
      `unknown report format${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (valid: ${valid})`,
      {
        problems: unknown.map((u) => ({
          path: 'format',
          message: `unknown format "${u}"; expected one of ${valid}`,
        })),
      },
    );
  }
  return [...new Set(names as ReporterName[])].map((n) => REPORTERS[n]);
}

export interface WriteReportsOptions {
  /** Directory for file reports; created when missing. */
  dir: string;
  formats: readonly string[];
  /** Where reporters without a file (the console) go; skipped when absent. */
  stream?: OutputStream;
}

/**
 * Render the report in every requested format: file reporters into `dir`,
 * the console reporter to `stream`. Returns the paths of the files written.
 * Formats are validated before anything is written.
 */
export async function writeReports(report: RunReport, options: WriteReportsOptions): Promise<string[]> {
  const reporters = resolveReporters(options.formats);
  const paths: string[] = [];
  const files = reporters.filter((r) => r.fileName !== undefined);
  if (files.length > 0) await mkdir(options.dir, { recursive: true });
  for (const reporter of reporters) {
    if (reporter.fileName === undefined) {
      if (!options.stream) continue;
      const text = await reporter.render(report, { color: shouldUseColor(options.stream) });
      options.stream.write(text.endsWith('\n') ? text : `${text}\n`);
      continue;
    }
    const path = resolve(join(options.dir, reporter.fileName));
    const text = await reporter.render(report, { color: false });
    await writeFile(path, text.endsWith('\n') ? text : `${text}\n`, 'utf8');
    paths.push(path);
  }
  return paths;
}
