import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { HarnessError, type Problem } from '../errors.js';
import { zodProblems } from './problems.js';

/** Read a YAML or JSON file into plain data; syntax errors become INVALID_CONFIG with line numbers. */
export async function readDataFile(file: string): Promise<unknown> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new HarnessError('FILE_NOT_FOUND', `cannot read ${file}`, { cause });
  }
  return parseDataText(text, file);
}

export function parseDataText(text: string, label: string): unknown {
  if (extname(label).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new HarnessError('INVALID_CONFIG', `${label} is not valid JSON`, {
        problems: [{ path: '', message: (cause as Error).message }],
      });
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => ({
      path: e.linePos ? `line ${e.linePos[0].line}:${e.linePos[0].col}` : '',
      message: e.message.split('\n')[0] ?? e.message,
    }));
    throw new HarnessError('INVALID_CONFIG', `${label} is not valid YAML`, { problems });
  }
  return doc.toJS();
}

/** Validate data against a schema, collecting every problem; throws INVALID_CONFIG (exit 2). */
export function validate<S extends z.ZodType>(schema: S, data: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = zodProblems(parsed.error);
  throw new HarnessError(
    'INVALID_CONFIG',
    `${label}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    {
      problems,
    },
  );
}

export async function loadFile<S extends z.ZodType>(schema: S, file: string): Promise<z.output<S>> {
  return validate(schema, await readDataFile(file), file);
}
