/**
 * Polling for a benchmark's condition: true as soon as `check` holds, false after `timeoutMs`.
 * Benchmarks measure with it; tests wait for events instead.
 */
export async function until (check: () => boolean, timeoutMs: number, intervalMs = 2): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (check()) return true
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
  return false
}
