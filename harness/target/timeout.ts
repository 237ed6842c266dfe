/** Wait for `p` at most `ms`; undefined when the time ran out (the promise is left to settle on its own). */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<undefined>((r) => {
        t = setTimeout(() => r(undefined), ms);
      }),
    ]);
  } finally {
    clearTimeout(t);
  }
}
