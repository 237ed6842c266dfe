import { resolve } from 'node:path';
import { runChecks } from '../../harness/checks/run-checks.js';
import type { CheckResult } from '../../harness/schema/result.js';
import { type TargetInput, type TargetSpec, TargetSpecSchema } from '../../harness/schema/target.js';

/** Helpers for check tests: the reference SUTs as targets, with defects switched on. */

const ROOT = resolve(import.meta.dirname, '../..');

/** The reference gateway (compiled: run `npm run build` first), launched over HTTP behind the suites' fleet. */
export function referenceGateway(
  defects: readonly string[] = [],
  extra: Partial<TargetInput> = {},
): TargetSpec {
  return TargetSpecSchema.parse({
    name: defects.length ? `reference-gateway+${defects.join('+')}` : 'reference-gateway',
    pattern: 'gateway',
    endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
    launch: {
      command: process.execPath,
      args: [
        resolve(ROOT, 'dist/mocks/patterns/gateway/main.js'),
        '--config',
        '{mcpServersFile}',
        '--port',
        '{port}',
        '--timeout-ms',
        '1500',
        '--quiet',
        ...defects.flatMap((d) => ['--defect', d]),
      ],
      ready: { log: 'gateway listening on http://' },
    },
    naming: { mode: 'prefix', prefix: '{server}', separator: '__' },
    timeoutMs: 4000,
    ...extra,
  });
}

/** Run some checks against a target; results by id. */
export async function checkResults(
  target: TargetSpec,
  only: readonly string[],
): Promise<Map<string, CheckResult>> {
  const run = await runChecks({ target, only });
  return new Map(run.results.map((r) => [r.id, r]));
}
