import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import type { OutputStream } from '../report/console.js';
import { renderCompareHtml } from '../report/html.js';
import { renderCompareConsole } from './console.js';
import { type CompareResult, CompareResultSchema } from './schema.js';

/**
 * Write a comparison in the requested formats: `console` (the side-by-side
 * table, to the stream), `json` (compare.json, every histogram HDR-encoded)
 * and `html` (compare.html, with charts). Formats are checked before
 * anything runs (`compareFormats`).
 */
export const COMPARE_FORMATS = ['console', 'json', 'html'] as const;
type CompareFormat = (typeof COMPARE_FORMATS)[number];

export function compareFormats(formats: readonly string[]): CompareFormat[] {
  const names = [
    ...new Set(
      formats
        .flatMap((f) => f.split(','))
        .map((f) => f.trim())
        .filter(Boolean),
    ),
  ];
  const bad = names.filter((n) => !(COMPARE_FORMATS as readonly string[]).includes(n));
  if (bad.length > 0) {
    throw new HarnessError('INVALID_ARGS', `compare cannot write ${bad.map((b) => `"${b}"`).join(', ')}`, {
      problems: bad.map((b) => ({
        path: '--format',
        message: `unknown compare format "${b}"; expected one of ${COMPARE_FORMATS.join(', ')}`,
      })),
    });
  }
  return names as CompareFormat[];
}

export async function writeCompareReports(
  result: CompareResult,
  options: { dir: string; formats: readonly string[]; stream?: OutputStream },
): Promise<string[]> {
  const formats = compareFormats(options.formats);
  const files: string[] = [];
  const file = async (name: string, text: string) => {
    await mkdir(options.dir, { recursive: true });
    const path = resolve(join(options.dir, name));
    await writeFile(path, text, 'utf8');
    files.push(path);
  };
  for (const f of formats) {
    if (f === 'console') options.stream?.write(renderCompareConsole(result));
    if (f === 'json')
      await file('compare.json', `${JSON.stringify(CompareResultSchema.parse(result), null, 2)}\n`);
    if (f === 'html') await file('compare.html', renderCompareHtml(result));
  }
  return files;
}
