/**
 * Turns what `fetch` throws into a short reason: the errno code buried in
 * undici's `TypeError('fetch failed')` cause chain (or an AggregateError of
 * per-address attempts), e.g. `ECONNREFUSED`.
 */

function codeOf (value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const code = (value as { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}

/** The first errno-style code (`ECONNREFUSED`, `ENOTFOUND`, ...) in an error's causes, if any. */
export function networkErrorCode (err: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined
  const own = codeOf(err)
  if (own !== undefined && /^E[A-Z]+$/.test(own)) return own
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const code = networkErrorCode(inner, depth + 1)
      if (code !== undefined) return code
    }
  }
  return networkErrorCode((err as { cause?: unknown }).cause, depth + 1)
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed'
}

/** A short human reason for a fetch failure. */
export function networkReason (err: unknown): string {
  const code = networkErrorCode(err)
  if (code !== undefined) return REASONS[code] ?? code
  const cause = (err as { cause?: unknown } | null)?.cause
  if (cause instanceof Error && cause.message !== '') return cause.message
  return err instanceof Error ? err.message : String(err)
}
