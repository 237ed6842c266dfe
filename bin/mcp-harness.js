#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm install` (the `prepare` script) or `npm run build`.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node ≥ 22.1 keeps compiled modules on disk between runs (a SUT spawns a stdio mock per session); older Node: no-op.
module.enableCompileCache?.();
const dist = (path) => new URL(`../dist/harness/cli/${path}`, import.meta.url);
const main = dist('main.js');
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('mcp-harness: dist/ is missing; run `npm install` or `npm run build` first\n');
  process.exit(4);
}
const argv = process.argv.slice(2);
// `mock … --stdio` starts on every session a SUT opens: its own slim path, the full CLI for anything else.
const served =
  argv[0] === 'mock' && argv.includes('--stdio')
    ? await (await import(dist('stdio-mock-entry.js').href)).runStdioMockEntry(argv)
    : false;
if (!served) await import(main.href);
