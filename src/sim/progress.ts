/**
 * The progress line: one live line on stderr while a run goes (delivered so
 * far, elapsed, ETA), redrawn at most every 200 ms, only when stderr is a
 * terminal. Cleared before the report prints.
 */

/** Receives progress from a driver. */
export interface ProgressSink {
  /** Expected deliveries made so far, expected so far, elapsed wall ms, estimated ms left (if known). */
  update: (delivered: number, expected: number, elapsedMs: number, etaMs?: number) => void
  /** Removes the line. */
  done: () => void
}

/** A sink that draws nothing. */
export const NO_PROGRESS: ProgressSink = { update: () => {}, done: () => {} }

/** The progress text (exported for tests). */
export function progressLine (delivered: number, expected: number, elapsedMs: number, etaMs?: number, width = 24): string {
  const fraction = expected > 0 ? Math.min(1, delivered / expected) : 0
  const filled = Math.round(fraction * width)
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled)
  const eta = etaMs === undefined ? '' : `  ETA ${formatSeconds(etaMs)}`
  return `sim [${bar}] ${(fraction * 100).toFixed(1)}%  ${delivered.toLocaleString('en')}/${expected.toLocaleString('en')} delivered  ${formatSeconds(elapsedMs)}${eta}`
}

function formatSeconds (ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`
}

/** A progress line on `stream` (stderr by default) when it is a terminal; otherwise nothing. */
export function terminalProgress (stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  if (stream.isTTY !== true) return NO_PROGRESS
  let last = 0
  let drawn = false
  return {
    update: (delivered, expected, elapsedMs, etaMs) => {
      const now = Date.now()
      if (now - last < 200) return
      last = now
      const line = progressLine(delivered, expected, elapsedMs, etaMs).slice(0, Math.max(20, (stream.columns ?? 100) - 1))
      stream.write(`\r\x1b[2K${line}`)
      drawn = true
    },
    done: () => { if (drawn) stream.write('\r\x1b[2K') }
  }
}
