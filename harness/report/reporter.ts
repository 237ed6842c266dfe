import type { RunReport } from '../schema/result.js';
import type { FormatReporter } from './formats.js';

/** How a reporter should render this time (set by whoever writes the output). */
export interface RenderOptions {
  /** ANSI colours; only the console reporter uses them, and only for a TTY. */
  color?: boolean;
}

/**
 * One output format. A reporter with a `fileName` is written into the report
 * directory; one without (the console) is written to a stream.
 */
export type Reporter = FormatReporter<RunReport>;
