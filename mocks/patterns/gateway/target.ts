import { join } from 'node:path';
import type { TargetInput } from '../../../harness/schema/target.js';
import { packageRoot } from '../../server/package-root.js';

/**
 * The reference gateway as a target: launched (compiled, from dist/) over
 * Streamable HTTP behind whatever fleet the run starts, with defects switched
 * on. Used by bench:check and the negative tests.
 */
export function referenceGatewayTarget(defects: readonly string[] = [], callTimeoutMs = 1500): TargetInput {
  return {
    name: defects.length ? `reference-gateway+${defects.join('+')}` : 'reference-gateway',
    pattern: 'gateway',
    endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
    launch: {
      command: process.execPath,
      args: [
        join(packageRoot(), 'dist/mocks/patterns/gateway/main.js'),
        '--config',
        '{mcpServersFile}',
        '--port',
        '{port}',
        '--timeout-ms',
        String(callTimeoutMs),
        '--quiet',
        ...defects.flatMap((d) => ['--defect', d]),
      ],
      ready: { log: 'gateway listening on http://' },
    },
    naming: { mode: 'prefix', prefix: '{server}', separator: '__' },
    timeoutMs: callTimeoutMs + 2500,
    // It answers a call it cannot serve after its own timeout; 2.5 s of slack for a loaded machine.
    deadlineMs: callTimeoutMs + 2500,
  };
}
