import type { LoadReport } from '../schema/load.js';
import type { FormatReporter } from './formats.js';
import type { RenderOptions } from './reporter.js';

/**
 * One output format of a load report. The run reporters take a RunReport
 * (checks and scenarios), which a load test does not have, so load reports
 * have their own small registry (load-registry.ts) with the same shape.
 */
export interface LoadReporter extends FormatReporter<LoadReport> {
  render(report: LoadReport, options?: RenderOptions): string;
}
