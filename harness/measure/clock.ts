/**
 * One clock for the whole harness: integer microseconds since the Unix epoch,
 * from the monotonic high-resolution timer anchored at the process time
 * origin. Mocks in other processes use the same function, so call-log
 * timestamps from a stdio mock line up with the harness's own (to within the
 * precision of each process's time origin).
 */
export function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** Elapsed integer microseconds since `startUs`. */
export function sinceUs(startUs: number): number {
  return nowUs() - startUs;
}
