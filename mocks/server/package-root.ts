import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The mcp-harness package root, found from this file whether it runs from source or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'mcp-harness') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the mcp-harness package root');
    dir = up;
  }
}

/** The command that starts the CLI: node + bin/mcp-harness.js (which runs the compiled dist/). */
export function cliCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [join(packageRoot(), 'bin', 'mcp-harness.js')] };
}
