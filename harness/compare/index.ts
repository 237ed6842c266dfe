/** The compare API: one workflow through several targets, side by side (docs/compare.md). */
export { renderCompareHtml } from '../report/html.js';
export { renderCompareConsole } from './console.js';
export { type CompareOptions, type ComparePlan, planCompare } from './plan.js';
export { compareFormats, writeCompareReports } from './report.js';
export { type RunCompareOptions, runCompare } from './run-compare.js';
export { type CompareResult, CompareResultSchema, type CompareSpec, CompareSpecSchema } from './schema.js';
