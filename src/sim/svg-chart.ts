/**
 * A minimal line chart as an inline SVG string: axes with ticks, any number of
 * series, optional log x axis, and shaded bands (partitions, loss windows).
 * No scripts, no external resources.
 */

/** One line. */
export interface Series { name: string, color: string, points: Array<[number, number]>, step?: boolean }

/** A shaded x range with a label. */
export interface Band { from: number, to: number, label: string, color: string }

/** What to draw. */
export interface ChartSpec {
  width: number
  height: number
  series: Series[]
  xLabel: string
  yLabel: string
  xLog?: boolean
  yMax?: number
  bands?: Band[]
  /** Formats an x tick. */
  xTick?: (x: number) => string
  /** Formats a y tick. */
  yTick?: (y: number) => string
  /**
   * Scale to the width of its container (`width` and `height` then only set the
   * drawing's proportions and its largest size) and leave the legend to the page,
   * so a narrow window shows the whole chart. @default false
   */
  responsive?: boolean
}

/** Escapes text for SVG/HTML. */
export function esc (text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

function niceTicks (min: number, max: number, count: number): number[] {
  const span = max - min
  if (!(span > 0)) return [min]
  const raw = span / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map(f => f * mag).find(s => span / s <= count) ?? 10 * mag
  const out: number[] = []
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

function logTicks (min: number, max: number): number[] {
  const out: number[] = []
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const f of [1, 2, 5]) { const v = f * 10 ** e; if (v >= min && v <= max) out.push(v) }
  }
  return out
}

/** Renders the chart. */
export function lineChart (spec: ChartSpec): string {
  const { width, height } = spec
  const m = { left: 64, right: 16, top: 28, bottom: 44 }
  const w = width - m.left - m.right
  const h = height - m.top - m.bottom
  const all = spec.series.flatMap(s => s.points)
  const xs = all.map(p => p[0]).filter(x => !spec.xLog || x > 0)
  const bandXs = (spec.bands ?? []).flatMap(b => [b.from, b.to])
  let xMin = Math.min(...xs, ...(spec.xLog === true ? [] : [0]))
  let xMax = Math.max(...xs, ...bandXs)
  if (!Number.isFinite(xMin)) xMin = spec.xLog === true ? 1 : 0
  if (!Number.isFinite(xMax) || xMax <= xMin) xMax = xMin + 1
  if (spec.xLog === true) { xMin = Math.max(xMin, 0.1); xMax = Math.max(xMax, xMin * 10) }
  const yMax = spec.yMax ?? Math.max(1, ...all.map(p => p[1]))
  const sx = (x: number): number => m.left + (spec.xLog === true
    ? (Math.log10(Math.max(x, xMin)) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))
    : (x - xMin) / (xMax - xMin)) * w
  const sy = (y: number): number => m.top + h - (y / yMax) * h
  const xTick = spec.xTick ?? ((x: number) => String(x))
  const yTick = spec.yTick ?? ((y: number) => String(y))
  const size = spec.responsive === true
    ? `width="100%" style="max-width:${width}px;height:auto;display:block" preserveAspectRatio="xMidYMid meet"`
    : `width="${width}" height="${height}"`
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" ${size} viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img">`]
  for (const band of spec.bands ?? []) {
    const x1 = sx(band.from)
    const x2 = sx(band.to)
    parts.push(`<rect x="${x1.toFixed(1)}" y="${m.top}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${h}" fill="${band.color}" opacity="0.18"/>`)
    parts.push(`<text x="${(x1 + 3).toFixed(1)}" y="${m.top + 12}" fill="${band.color}">${esc(band.label)}</text>`)
  }
  const xticks = spec.xLog === true ? logTicks(xMin, xMax) : niceTicks(xMin, xMax, 8)
  for (const t of xticks) {
    const x = sx(t).toFixed(1)
    parts.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + h}" stroke="#ddd"/><text x="${x}" y="${m.top + h + 14}" text-anchor="middle" fill="#444">${esc(xTick(t))}</text>`)
  }
  for (const t of niceTicks(0, yMax, 5)) {
    const y = sy(t).toFixed(1)
    parts.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + w}" y2="${y}" stroke="#ddd"/><text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#444">${esc(yTick(t))}</text>`)
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`)
  for (const s of spec.series) {
    if (s.points.length === 0) continue
    let d = ''
    s.points.forEach(([x, y], i) => {
      const px = sx(x).toFixed(1)
      const py = sy(y).toFixed(1)
      if (i === 0) d += `M${px},${py}`
      else if (s.step === true) d += `H${px}V${py}`
      else d += `L${px},${py}`
    })
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`)
  }
  if (spec.responsive !== true) spec.series.forEach((s, i) => {
    const x = m.left + 8 + i * 170
    parts.push(`<line x1="${x}" y1="12" x2="${x + 18}" y2="12" stroke="${s.color}" stroke-width="3"/><text x="${x + 24}" y="15" fill="#222">${esc(s.name)}</text>`)
  })
  parts.push(`<text x="${m.left + w / 2}" y="${height - 6}" text-anchor="middle" fill="#222">${esc(spec.xLabel)}</text>`)
  parts.push(`<text x="14" y="${m.top + h / 2}" text-anchor="middle" fill="#222" transform="rotate(-90 14 ${m.top + h / 2})">${esc(spec.yLabel)}</text>`)
  parts.push('</svg>')
  return parts.join('')
}
