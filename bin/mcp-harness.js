#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm install` (the `prepare` script) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/harness/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('mcp-harness: dist/ is missing; run `npm install` or `npm run build` first\n');
  process.exit(4);
}
await import(main.href);
