/**
 * Number formatting shared by the table and the HTML report.
 */

/** Milliseconds, compact: `4.2 ms`, `312 ms`, `5.50 s`; `-` for NaN. */
export function fmtMs (ms: number): string {
  if (!Number.isFinite(ms)) return '-'
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

/** Bytes, compact: `812 B`, `12.3 KB`, `440 MB`. */
export function fmtBytes (bytes: number): string {
  if (!Number.isFinite(bytes)) return '-'
  if (bytes < 1000) return `${Math.round(bytes)} B`
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`
  return `${(bytes / 1e9).toFixed(2)} GB`
}

/** A ratio as a percentage with enough digits to show a single loss in a large run. */
export function fmtPercent (ratio: number): string {
  if (!Number.isFinite(ratio)) return '-'
  if (ratio === 1) return '100 %'
  return `${(ratio * 100).toFixed(ratio > 0.999 ? 4 : 2)} %`
}

/** A count with thousands separators. */
export function fmtCount (n: number): string {
  return Math.round(n).toLocaleString('en')
}

/** A small rate (per message, per node) with 3 significant digits. */
export function fmtRate (n: number): string {
  if (!Number.isFinite(n)) return '-'
  return n === 0 ? '0' : n.toPrecision(3)
}
