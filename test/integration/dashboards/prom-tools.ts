import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli.js';

/** Install prometheus/promtool/pushgateway when missing (the project's own script), or fail saying why. */
export function ensurePrometheus(): void {
  execFileSync('bash', [join(ROOT, 'scripts/ensure-prometheus.sh')], { stdio: 'inherit', timeout: 300_000 });
}

export interface ToolRun {
  code: number;
  out: string;
}

/** Run promtool to completion (bounded), stdout and stderr together. */
export function promtool(args: string[], cwd: string): Promise<ToolRun> {
  return new Promise((done) => {
    execFile('promtool', args, { cwd, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0;
      done({ code, out: `${stdout}${stderr}` });
    });
  });
}
