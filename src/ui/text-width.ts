/**
 * How many terminal columns and rows printed text takes, for rewriting lines
 * in place. Escape sequences take no room, combining marks and format
 * characters none, East Asian wide characters and emoji two columns, all else
 * one. Emoji sequences (ZWJ, variation selectors, flags, skin tones) render
 * differently from one terminal to the next, so text holding them is
 * reported as uncertain and callers stop relying on row counts past it.
 */

/** SGR and other CSI sequences, as the Styler writes them. */
// eslint-disable-next-line no-control-regex
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{1b000}-\u{1b2ff}\u{1f200}-\u{1f2ff}\u{20000}-\u{3fffd}]|\p{Emoji_Presentation}/u
const UNCERTAIN = /[\u200d\ufe0e\ufe0f\u{1f1e6}-\u{1f1ff}\u{1f3fb}-\u{1f3ff}]/u

/** The columns `text` takes on a terminal, escape sequences excluded. */
export function displayWidth (text: string): number {
  let width = 0
  for (const ch of text.replace(CSI, '')) {
    if (ZERO_WIDTH.test(ch)) continue
    width += WIDE.test(ch) ? 2 : 1
  }
  return width
}

/** True when terminals disagree on the width of `text` (emoji sequences). */
export function widthIsUncertain (text: string): boolean {
  return UNCERTAIN.test(text)
}

/** Rows a printed line (followed by a newline) takes at `columns` columns; an empty line takes one. */
export function printedRows (text: string, columns: number): number {
  return Math.max(1, Math.ceil(displayWidth(text) / columns))
}

/**
 * Rows the readline input area (prompt and typed text) takes: readline moves
 * the cursor to a fresh row when the text exactly fills the last one.
 */
export function inputRows (text: string, columns: number): number {
  return Math.floor(displayWidth(text) / columns) + 1
}
