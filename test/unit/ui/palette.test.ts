/**
 * The sender palette is checked from first principles: the sRGB value of each xterm
 * 256-colour index, its WCAG contrast against black and white, and CIEDE2000 between
 * every pair (Sharma, Wu and Dalal's formulation), so a palette edit cannot quietly
 * bring back two look-alike colours.
 */

import { describe, expect, it } from 'vitest'
import { PEER_PALETTE, createStyler, peerColor } from '../../../src/ui/style.js'

const CUBE = [0, 95, 135, 175, 215, 255]

/** sRGB of an xterm colour-cube index (16-231). */
function xtermRgb (index: number): [number, number, number] {
  const n = index - 16
  return [CUBE[Math.floor(n / 36)], CUBE[Math.floor(n / 6) % 6], CUBE[n % 6]]
}

const linear = (c: number): number => { const v = c / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 }
const luminance = ([r, g, b]: number[]): number => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)

function lab (rgb: [number, number, number]): [number, number, number] {
  const [r, g, b] = rgb.map(linear)
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
  const f = (t: number): number => t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
}

const rad = (deg: number): number => deg * Math.PI / 180
const hueDeg = (b: number, a: number): number => { const h = Math.atan2(b, a) * 180 / Math.PI; return h < 0 ? h + 360 : h }

function ciede2000 ([l1, a1, b1]: number[], [l2, a2, b2]: number[]): number {
  const cBar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2
  const g = 0.5 * (1 - Math.sqrt(cBar ** 7 / (cBar ** 7 + 25 ** 7)))
  const a1p = (1 + g) * a1
  const a2p = (1 + g) * a2
  const c1p = Math.hypot(a1p, b1)
  const c2p = Math.hypot(a2p, b2)
  const h1p = c1p === 0 ? 0 : hueDeg(b1, a1p)
  const h2p = c2p === 0 ? 0 : hueDeg(b2, a2p)
  let dh = h2p - h1p
  if (c1p * c2p === 0) dh = 0
  else if (dh > 180) dh -= 360
  else if (dh < -180) dh += 360
  const dL = l2 - l1
  const dC = c2p - c1p
  const dH = 2 * Math.sqrt(c1p * c2p) * Math.sin(rad(dh / 2))
  const lBar = (l1 + l2) / 2
  const cBarP = (c1p + c2p) / 2
  let hBar = h1p + h2p
  if (c1p * c2p !== 0) hBar = Math.abs(h1p - h2p) <= 180 ? hBar / 2 : (hBar < 360 ? (hBar + 360) / 2 : (hBar - 360) / 2)
  const t = 1 - 0.17 * Math.cos(rad(hBar - 30)) + 0.24 * Math.cos(rad(2 * hBar)) + 0.32 * Math.cos(rad(3 * hBar + 6)) - 0.20 * Math.cos(rad(4 * hBar - 63))
  const dTheta = 30 * Math.exp(-(((hBar - 275) / 25) ** 2))
  const rC = 2 * Math.sqrt(cBarP ** 7 / (cBarP ** 7 + 25 ** 7))
  const sL = 1 + 0.015 * (lBar - 50) ** 2 / Math.sqrt(20 + (lBar - 50) ** 2)
  const sC = 1 + 0.045 * cBarP
  const sH = 1 + 0.015 * cBarP * t
  const rT = -Math.sin(rad(2 * dTheta)) * rC
  return Math.sqrt((dL / sL) ** 2 + (dC / sC) ** 2 + (dH / sH) ** 2 + rT * (dC / sC) * (dH / sH))
}

const indexOf = (color: string): number => Number(color.slice('xterm'.length))

describe('the sender palette', () => {
  it('has at least 12 colours from the 256-colour cube', () => {
    expect(new Set(PEER_PALETTE).size).toBeGreaterThanOrEqual(12)
    for (const c of PEER_PALETTE) expect(indexOf(c)).toBeGreaterThanOrEqual(16)
    for (const c of PEER_PALETTE) expect(indexOf(c)).toBeLessThanOrEqual(231)
  })

  it('reads on dark and on light backgrounds: contrast >= 3:1 against black and against white', () => {
    for (const c of PEER_PALETTE) {
      const y = luminance(xtermRgb(indexOf(c)))
      expect((1.05 / (y + 0.05)), `${c} on white`).toBeGreaterThanOrEqual(3)
      expect(((y + 0.05) / 0.05), `${c} on black`).toBeGreaterThanOrEqual(3)
    }
  })

  it('keeps every pair distinct: CIEDE2000 >= 15', () => {
    // Known reference pair (Sharma et al. 2005, test 1): keeps the formula honest.
    expect(ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 3)
    for (let i = 0; i < PEER_PALETTE.length; i++) {
      for (let j = i + 1; j < PEER_PALETTE.length; j++) {
        const d = ciede2000(lab(xtermRgb(indexOf(PEER_PALETTE[i]))), lab(xtermRgb(indexOf(PEER_PALETTE[j]))))
        expect(d, `${PEER_PALETTE[i]} vs ${PEER_PALETTE[j]}`).toBeGreaterThanOrEqual(15)
      }
    }
  })

  it('is no red or grey: hue outside the reds, chroma >= 30', () => {
    for (const c of PEER_PALETTE) {
      const [, a, b] = lab(xtermRgb(indexOf(c)))
      expect(Math.hypot(a, b), `${c} chroma`).toBeGreaterThanOrEqual(30)
      const h = hueDeg(b, a)
      expect(h > 45 && h < 350, `${c} hue ${h.toFixed(0)}`).toBe(true)
    }
  })

  it('spreads peer ids over every colour, and writes 256-colour codes or basic ones for a 16-colour terminal', () => {
    const seen = new Set(Array.from({ length: 600 }, (_, i) => peerColor(`12D3KooWpeer${i}`)))
    expect(seen.size).toBe(PEER_PALETTE.length)
    expect(createStyler(true).apply('xterm202', 'bob')).toBe('\x1b[38;5;202mbob\x1b[39m')
    expect(createStyler(true, false).apply('xterm202', 'bob')).toMatch(/^\x1b\[9\dmbob\x1b\[39m$/)
    expect(createStyler(false).apply('xterm202', 'bob')).toBe('bob')
  })
})
