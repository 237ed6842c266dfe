/** Human renderings of measured values, shared by threshold results and reporters. */

/** Round to at most `digits` decimals and drop trailing zeros: 53.20 → "53.2". */
function trim(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)));
}

/**
 * How a duration reads: `compact` keeps every digit that matters, k6's way, for
 * threshold and expectation messages (850µs, 53.22ms, 1.25s, 2m3.5s);
 * `readable` rounds to three significant digits, spaced, for reports
 * (850 µs, 53.2 ms, 1.25 s, 1 min 23 s, 1 h 2 min).
 */
export type DurationStyle = 'compact' | 'readable';

/** Duration in integer µs → the largest unit that keeps the shown value ≥ 1 (999.6 µs reads 1 ms). */
export function formatDuration(us: number, style: DurationStyle = 'compact'): string {
  const readable = style === 'readable';
  if (!Number.isFinite(us)) return readable ? '—' : String(us);
  if (us < 0) return `-${formatDuration(-us, style)}`;
  const sep = readable ? ' ' : '';
  const num = readable ? (n: number) => String(Number(n.toPrecision(3))) : (n: number) => trim(n);
  if (us >= (readable ? 59_950_000 : 60_000_000)) return minutes(us, readable);
  if (us < (readable ? 999.5 : 1_000)) return `${readable ? Math.round(us) : trim(us)}${sep}µs`;
  if (Number(num(us / 1_000)) < 1_000) return `${num(us / 1_000)}${sep}ms`;
  return `${num(us / 1_000_000)}${sep}s`;
}

function minutes(us: number, readable: boolean): string {
  if (readable) {
    const totalS = Math.round(us / 1_000_000);
    const h = Math.floor(totalS / 3600);
    const m = Math.floor((totalS % 3600) / 60);
    return h > 0 ? `${h} h ${m} min` : `${m} min ${totalS % 60} s`;
  }
  const m = Math.floor(us / 60_000_000);
  const seconds = (us - m * 60_000_000) / 1_000_000;
  return `${m}m${seconds > 0 ? `${trim(seconds)}s` : ''}`;
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
