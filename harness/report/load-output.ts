import { loadExitCode } from '../load/thresholds.js';
import type { LoadReport } from '../schema/load.js';
import type { OutputStream } from './console.js';
import { writeLoadReports } from './load-registry.js';

export interface LoadOutputOptions {
  /** Where file reports go; created when missing. */
  dir: string;
  /** `--format` values (comma lists allowed). */
  formats: readonly string[];
  /** The console summary. */
  stream: OutputStream;
  /** Where each file written is named, one `report written: PATH` line each (stderr). */
  notes: OutputStream;
}

/**
 * The end of `mcp-harness load` and `merge`: the load report in every
 * requested format, each file written named on `notes`, and the exit code its
 * thresholds give (0 all passed, 1 one failed).
 */
export async function writeLoadOutput(report: LoadReport, options: LoadOutputOptions): Promise<number> {
  const files = await writeLoadReports(report, {
    dir: options.dir,
    formats: options.formats,
    stream: options.stream,
  });
  for (const f of files) options.notes.write(`report written: ${f}\n`);
  return loadExitCode(report);
}
