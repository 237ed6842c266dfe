/** Human renderings of measured values, shared by threshold results and reporters. */

/** Round to at most `digits` decimals and drop trailing zeros: 53.20 → "53.2". */
function trim(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)));
}

/** Duration in integer µs → the largest unit that keeps it ≥ 1: 850µs, 53.2ms, 1.25s, 2m3.5s. */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  if (abs < 1_000) return `${sign}${trim(abs)}µs`;
  if (abs < 1_000_000) return `${sign}${trim(abs / 1_000)}ms`;
  if (abs < 60_000_000) return `${sign}${trim(abs / 1_000_000)}s`;
  const minutes = Math.floor(abs / 60_000_000);
  const seconds = (abs - minutes * 60_000_000) / 1_000_000;
  return `${sign}${minutes}m${seconds > 0 ? `${trim(seconds)}s` : ''}`;
}

/** A rate (0–1) as a percentage: 0.005 → "0.5%". */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return String(rate);
  return `${trim(rate * 100)}%`;
}

export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : trim(n);
}

/**
 * A signed duration with its sign always shown, and its `±` when known:
 * "+1.32ms ± 45µs", "-12µs". `format` renders magnitudes (a reporter passes its own style).
 */
export function formatSigned(
  us: number,
  errorUs?: number,
  format: (us: number) => string = formatDuration,
): string {
  const value = us > 0 ? `+${format(us)}` : us < 0 ? `-${format(-us)}` : format(0);
  return errorUs === undefined ? value : `${value} ± ${format(Math.round(errorUs))}`;
}
