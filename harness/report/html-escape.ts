/**
 * Escaping for the HTML report. Every text that came from a run (names,
 * observations, reasons: a SUT controls some of them) goes through
 * `escapeHtml`; data for the page's script is embedded with `scriptJson`,
 * which cannot close its <script> element.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** JSON safe inside <script type="application/json">: no `<`, `>`, `&` or line separators survive raw. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
