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

type StyleTextFn = (format: StyleFormat, text: string, options: { validateStream: boolean }) => string

function styleOne (format: StyleFormat, text: string): string {
  // Looked up per call: a compat shim may install it after this module loaded.
  const styleText = (util as { styleText?: StyleTextFn }).styleText
  if (typeof styleText !== 'function') return text
  // We decided on colour ourselves; stop Node >= 22 from re-checking process.stdout.
  return styleText(format, text, { validateStream: false })
}

/** A Styler that colours when `enabled` is true and never emits escape codes otherwise. */
export function createStyler (enabled: boolean): Styler {
  return {
    enabled,
    apply (formats, text) {
      if (!enabled || text === '') return text
      const list: readonly StyleFormat[] = typeof formats === 'string' ? [formats] : formats
      let out = text
      for (let i = list.length - 1; i >= 0; i--) out = styleOne(list[i], out)
      return out
    }
  }
}

/** Sender colours: distinguishable on dark and light backgrounds, and never red. */
export const PEER_PALETTE: readonly StyleFormat[] = [
  'green', 'yellow', 'blue', 'magenta', 'cyan',
  'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright'
]

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
export function peerColor (peerId: string): StyleFormat {
  return PEER_PALETTE[fnv1a(peerId) % PEER_PALETTE.length]
}
