/** Report format names, light to import (the CLI lists them in --help without loading the reporters). */
export const REPORT_FORMATS = ['console', 'json', 'junit', 'md', 'html', 'prom'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
