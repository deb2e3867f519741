/** Polls `check` every 25 ms until it returns a value; fails after `ms`. A throwing check fails the test at once. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Like `eventually`, for a probe that may throw until what it waits for exists (a connector process still starting:
 * its port refuses connections); names what it waited for when it times out.
 */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  return eventually(() => probe().catch(() => undefined), timeoutMs).catch(() => {
    throw new Error(`timed out waiting for ${what}`);
  });
}
