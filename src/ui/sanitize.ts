/**
 * Neutralises text that came from the network before it reaches a terminal.
 * A remote peer must not be able to move the cursor, recolour the screen, set
 * the window title or reorder what we print, so escape sequences are removed
 * and every other control character is replaced by a visible stand-in.
 */

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`), DCS/SOS/PM/APC strings, and two-byte `ESC x` sequences. */
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -~]?)|\x9b[0-?]*[ -/]*[@-~]?/g

/** C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

function standIn (ch: string): string {
  const code = ch.charCodeAt(0)
  if (code === 0x09) return ' '
  if (code < 0x20) return String.fromCharCode(0x2400 + code) // control pictures: ␀ … ␟
  if (code === 0x7f) return '\u2421' // ␡
  if (code >= 0x202a) return '' // bidi controls: drop, they only reorder text
  return '\ufffd'
}

/**
 * Returns `text` safe to print on a terminal: escape sequences removed, tabs
 * turned into spaces, other control characters (newlines included) shown as
 * Unicode control pictures (`␊`, `␛`), bidi controls dropped. One line in,
 * one line out.
 */
export function sanitize (text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, standIn)
}

