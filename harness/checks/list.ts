import { allChecks } from './registry.js';

/** Every check as a Markdown table (`mcp-harness check --list`; docs/checks.md is generated from it). */
export function checksTable(): string {
  const cell = (s: string) => s.replaceAll('|', '\\|').replace(/\s+/g, ' ');
  const rows = allChecks().map(
    (c) => `| \`${c.id}\` | ${c.severity} | ${cell(c.title)} | ${cell(c.expected)} | ${cell(c.specRef)} |`,
  );
  return ['| id | severity | title | expected | reference |', '|---|---|---|---|---|', ...rows].join('\n');
}
