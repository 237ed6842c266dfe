import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import { type OutputStream, shouldUseColor } from './console.js';
import type { RenderOptions } from './reporter.js';

/** What both reporter registries hold: a format that renders a report of kind R to text. */
export interface FormatReporter<R> {
  readonly name: string;
  /** The file it writes into the report directory; none: the console. */
  readonly fileName?: string;
  render(report: R, options?: RenderOptions): string | Promise<string>;
}

/**
 * Resolve format names (as given to `--format`, comma lists allowed) to the
 * reporters of `table`, once each. Unknown names throw INVALID_ARGS listing
 * them all with the valid ones (`what`: "report", "load report").
 */
export function resolveFormats<T>(
  table: Readonly<Record<string, T>>,
  formats: readonly string[],
  what: string,
): T[] {
  const names = formats
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !Object.hasOwn(table, n));
  if (unknown.length > 0) {
    const valid = Object.keys(table).join(', ');
    throw new HarnessError(
      'INVALID_ARGS',
      `unknown ${what} format${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (valid: ${valid})`,
      {
        problems: unknown.map((u) => ({
          path: '--format',
          message: `unknown format "${u}"; expected one of ${valid}`,
        })),
      },
    );
  }
  return [...new Set(names)].map((n) => table[n] as T);
}

export interface WriteFormatsOptions {
  /** Directory for file reports; created when missing. */
  dir: string;
  /** Where reporters without a file (the console) go; skipped when absent. */
  stream?: OutputStream;
}

/**
 * Render `report` with every reporter: files into `dir`, the console one to
 * `stream`. Returns the paths of the files written.
 */
export async function writeFormats<R>(
  report: R,
  reporters: readonly FormatReporter<R>[],
  options: WriteFormatsOptions,
): Promise<string[]> {
  const paths: string[] = [];
  if (reporters.some((r) => r.fileName !== undefined)) await mkdir(options.dir, { recursive: true });
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
