import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors.js';

const MODULE_EXT = new Set(['.ts', '.mts', '.js', '.mjs']);

export function isModuleFile(file: string): boolean {
  return MODULE_EXT.has(extname(file).toLowerCase());
}

/**
 * Load the default export (or the named export) of a TS/JS config module.
 * TypeScript is compiled on the fly with tsx, so users need no build step.
 */
export async function importConfigModule(file: string, named: string): Promise<unknown> {
  const path = resolve(file);
  let mod: Record<string, unknown>;
  try {
    if (/\.m?ts$/i.test(path)) {
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
    } else {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    }
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((cause as Error).message).includes(path)) {
      throw new HarnessError('FILE_NOT_FOUND', `cannot read ${file}`, { cause });
    }
    throw new HarnessError('INVALID_CONFIG', `${file} failed to load: ${(cause as Error).message}`, {
      cause,
    });
  }
  const value = mod.default ?? mod[named];
  if (value === undefined) {
    throw new HarnessError('INVALID_CONFIG', `${file} exports neither a default nor '${named}'`);
  }
  return value;
}
