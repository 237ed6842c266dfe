export {
  clean,
  consoleReporter,
  createProgress,
  type OutputStream,
  type Progress,
  renderConsole,
  shouldUseColor,
} from './console.js';
export { formatDuration, formatMs, truncate } from './format.js';
export { jsonReporter, parseRunReport } from './json.js';
export { junitReporter } from './junit.js';
export { appendStepSummary, markdownReporter, renderMarkdown } from './markdown.js';
export {
  REPORTER_NAMES,
  REPORTERS,
  type ReporterName,
  resolveReporters,
  type WriteReportsOptions,
  writeReports,
} from './registry.js';
export type { RenderOptions, Reporter } from './reporter.js';
