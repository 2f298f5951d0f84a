/**
 * How many terminal columns and rows printed text takes, for wrapping and for
 * rewriting lines in place. Widths come from `string-width` (grapheme clusters
 * by `Intl.Segmenter`, East Asian widths by `get-east-asian-width`, emoji
 * sequences such as ZWJ families, flags and skin tones as one wide cluster);
 * escape sequences take no room.
 */

import stringWidth from 'string-width'

/** The columns `text` takes on a terminal, escape sequences excluded. */
export function displayWidth (text: string): number {
  return stringWidth(text, { countAnsiEscapeCodes: false })
}

/**
 * Rows a printed line (followed by a newline) takes at `columns` columns; an
 * empty line takes one. A line holding newlines (a wrapped line) takes the rows
 * of each of its parts.
 */
export function printedRows (text: string, columns: number): number {
  let rows = 0
  for (const part of text.split('\n')) rows += Math.max(1, Math.ceil(displayWidth(part) / columns))
  return rows
}

/**
 * Rows the readline input area (prompt and typed text) takes: readline moves
 * the cursor to a fresh row when the text exactly fills the last one.
 */
export function inputRows (text: string, columns: number): number {
  return Math.floor(displayWidth(text) / columns) + 1
}
