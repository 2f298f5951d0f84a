/**
 * Colour decisions and colour application. Whether to colour is decided once,
 * by the caller, from the terminal and the environment (`shouldUseColor`);
 * the `Styler` then applies or skips styles. Colours go through
 * `util.styleText`, looked up at call time because Node 20.11 lacks it and a
 * compat module may add it at startup; without it, text stays plain.
 */

import util from 'node:util'

/** The styles the UI uses. Red is kept for errors; `PEER_PALETTE` never contains it. */
export type StyleFormat =
  | 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'blue' | 'magenta' | 'cyan'
  | 'greenBright' | 'yellowBright' | 'blueBright' | 'magentaBright' | 'cyanBright'
  | 'inverse' | PeerColor

/** A sender colour: an xterm 256-colour index (`PEER_PALETTE`). */
export type PeerColor = `xterm${number}`

/** Applies styles to text, or returns it unchanged when colour is off. */
export interface Styler {
  /** True when styles are applied. */
  readonly enabled: boolean
  /** `text` with `formats` applied, outermost first; `text` itself when disabled. */
  apply: (formats: StyleFormat | readonly StyleFormat[], text: string) => string
}

/** What `shouldUseColor` looks at. */
export interface ColorContext {
  /** Whether the output stream is a terminal. */
  isTTY: boolean
  /** The environment (`process.env`). */
  env: Record<string, string | undefined>
  /** True when `--no-color` was given. */
  noColorFlag: boolean
}

/**
 * True when output should be coloured: it is a TTY, `NO_COLOR` is unset or
 * empty (https://no-color.org), `TERM` is not `dumb`, and `--no-color` was
 * not given.
 */
export function shouldUseColor (ctx: ColorContext): boolean {
  if (!ctx.isTTY || ctx.noColorFlag) return false
  const noColor = ctx.env.NO_COLOR
  if (noColor !== undefined && noColor !== '') return false
  return ctx.env.TERM !== 'dumb'
}

type StyleTextFn = (format: string, text: string, options: { validateStream: boolean }) => string

function styleOne (format: StyleFormat, text: string, colors256: boolean): string {
  if (format.startsWith('xterm')) {
    const index = Number(format.slice(5))
    if (colors256) return `\x1b[38;5;${index}m${text}\x1b[39m`
    return styleOne(BASIC_FALLBACK[index] ?? 'cyan', text, false)
  }
  // Looked up per call: a compat shim may install it after this module loaded.
  const styleText = (util as { styleText?: StyleTextFn }).styleText
  if (typeof styleText !== 'function') return text
  // We decided on colour ourselves; stop Node >= 22 from re-checking process.stdout.
  return styleText(format, text, { validateStream: false })
}

/**
 * A Styler that colours when `enabled` is true and never emits escape codes otherwise.
 * Sender colours use the 256-colour palette unless `colors256` is false (a terminal
 * of 16 colours: `tty.WriteStream.getColorDepth() < 8`), then the nearest basic colour.
 */
export function createStyler (enabled: boolean, colors256 = true): Styler {
  return {
    enabled,
    apply (formats, text) {
      if (!enabled || text === '') return text
      const list: readonly StyleFormat[] = typeof formats === 'string' ? [formats] : formats
      let out = text
      for (let i = list.length - 1; i >= 0; i--) out = styleOne(list[i], out, colors256)
      return out
    }
  }
}

/**
 * Sender colours: twelve xterm 256-colour indices chosen to be told apart and read on
 * dark and light backgrounds alike. Each has a WCAG contrast of at least 3:1 against
 * both black and white, none is red or red-orange (kept for errors) or grey, and every
 * pair is at least 16 apart in CIEDE2000 (10 is clearly different at a glance); the
 * unit test recomputes both from the sRGB values.
 */
export const PEER_PALETTE: readonly PeerColor[] = [
  'xterm202', 'xterm130', 'xterm136', 'xterm58', 'xterm28', 'xterm30',
  'xterm32', 'xterm27', 'xterm104', 'xterm93', 'xterm126', 'xterm169'
]

/** The nearest of the 16 basic colours, for terminals without 256 colours. */
const BASIC_FALLBACK: Readonly<Record<number, StyleFormat>> = {
  202: 'yellowBright', 130: 'yellow', 136: 'yellow', 58: 'green', 28: 'green', 30: 'cyan',
  32: 'blue', 27: 'blueBright', 104: 'cyanBright', 93: 'magenta', 126: 'magentaBright', 169: 'magentaBright'
}

/** 32-bit FNV-1a over UTF-16 code units: small, fast, well spread for peer ids. */
function fnv1a (text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * The stable colour of a sender, from a hash of its PEER ID. Nicks are
 * self-chosen and can be copied; the peer id is signed, so an impostor using
 * someone's nick still shows in the impostor's own colour.
 */
export function peerColor (peerId: string): PeerColor {
  return PEER_PALETTE[fnv1a(peerId) % PEER_PALETTE.length]
}
