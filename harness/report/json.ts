import { zodProblems } from '../config/problems.js';
import { HarnessError } from '../errors.js';
import { type RunReport, RunReportSchema } from '../schema/result.js';
import type { Reporter } from './reporter.js';

/**
 * The full RunReport as pretty-printed JSON: every result and every histogram
 * (percentiles plus the HDR encoding, so shards can be merged later).
 * The report is validated first: a malformed report is a harness bug.
 */
export const jsonReporter: Reporter = {
  name: 'json',
  fileName: 'report.json',
  render(report: RunReport): string {
    const parsed = RunReportSchema.safeParse(report);
    if (!parsed.success) {
      throw new HarnessError('INTERNAL', 'the run report does not match its schema', {
        problems: zodProblems(parsed.error),
      });
    }
    return `${JSON.stringify(parsed.data, jsonSafe, 2)}\n`;
  },
};

/** Evidence may hold values JSON cannot carry as-is. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** Read a JSON report back (e.g. shards to merge, or a baseline run to compare with). */
export function parseRunReport(text: string, label = 'report'): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new HarnessError('INVALID_CONFIG', `${label} is not valid JSON`, {
      problems: [{ path: '', message: (cause as Error).message }],
      cause,
    });
  }
  const parsed = RunReportSchema.safeParse(data);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    throw new HarnessError('INVALID_CONFIG', `${label} is not an mcp-harness run report`, { problems });
  }
  return parsed.data;
}
