import { zodProblems } from '../config/problems.js';
import { HarnessError } from '../errors.js';
import { type LoadReport, LoadReportSchema } from '../schema/load.js';
import type { LoadReporter } from './load-reporter.js';

/**
 * The LoadReport as JSON: every counter, the per-second series and every
 * histogram with its HDR encoding, so `merge` can combine shards exactly.
 * Validated first: a report that does not match its schema is a harness bug.
 */
export const loadJsonReporter: LoadReporter = {
  name: 'json',
  fileName: 'load-report.json',
  render(report: LoadReport): string {
    const parsed = LoadReportSchema.safeParse(report);
    if (!parsed.success) {
      throw new HarnessError('INTERNAL', 'the load report does not match its schema', {
        problems: zodProblems(parsed.error),
      });
    }
    return `${JSON.stringify(parsed.data, null, 2)}\n`;
  },
};

/** Read a load report back (a shard to merge); anything else is INVALID_CONFIG naming `label`. */
export function parseLoadReport(text: string, label = 'report'): LoadReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new HarnessError('INVALID_CONFIG', `${label} is not valid JSON`, {
      problems: [
        { path: label, message: `expected a load report, got invalid JSON (${(cause as Error).message})` },
      ],
      cause,
    });
  }
  const parsed = LoadReportSchema.safeParse(data);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error).map((p) => ({
      ...p,
      path: `${label}${p.path ? `: ${p.path}` : ''}`,
    }));
    throw new HarnessError('INVALID_CONFIG', `${label} is not an mcp-harness load report`, { problems });
  }
  return parsed.data;
}
