/**
 * Word-wrap for the interactive terminal, with a hanging indent: a chat line's
 * continuation rows start under its text (`12:04 <alice> `), a table or `/help`
 * row's under its second column. Breaks fall between words (a word longer than
 * the room left is cut), widths are grapheme-aware (`text-width.ts`), and
 * colours stay on across the break. The wrapping itself is `wrap-ansi`'s.
 */

import { stripVTControlCharacters } from 'node:util'
import wrapAnsi from 'wrap-ansi'
import { displayWidth } from './text-width.js'

/** Continuation rows are never indented by more than this share of the width. */
const MAX_INDENT_SHARE = 0.5
/** Indent of a line with no recognisable columns. */
const DEFAULT_INDENT = 2

/** An optional message id (`#3f9a1c2e `, in `/lastlog` and `/pins`), `HH:MM`, then `~ ` or `≡ ` (history) and `★ ` (trusted), then `<nick> `, `* nick ` or `-!- `. */
const CHAT_PREFIX = /^(?:#\S+ )?\d\d:\d\d (?:[~≡] )?(?:★ )?(?:<[^>]*> |\* \S+ |-!- )/
/** A row of column-aligned text: everything up to the first gap of two or more spaces. */
const COLUMN_PREFIX = /^\s*\S.*?\s{2,}(?=\S)/

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g
// eslint-disable-next-line no-control-regex
const CSI_AT = /\x1b\[[0-?]*[ -/]*[@-~]/y

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * Where the first row's prefix ends (`cut`, in columns: the rest is wrapped) and the
 * column continuation rows start at (`indent`), for `plain` (no escape codes): under
 * the text of a chat line, under the second column of a table row, else two columns
 * in from the line's own indent (the cut then is that indent, at a word boundary).
 */
export function hangingIndent (plain: string): number {
  return layout(plain).indent
}

function layout (plain: string): { cut: number, indent: number } {
  const chat = CHAT_PREFIX.exec(plain)
  if (chat !== null) { const w = displayWidth(chat[0]); return { cut: w, indent: w } }
  const column = COLUMN_PREFIX.exec(plain)
  if (column !== null) { const w = displayWidth(column[0]); return { cut: w, indent: w } }
  const leading = displayWidth(/^\s*/.exec(plain)?.[0] ?? '')
  return { cut: leading, indent: leading + DEFAULT_INDENT }
}

/** The index in `text` (escape codes included) where its first `columns` visible columns end. */
function indexAfterColumns (text: string, columns: number): number {
  let i = 0
  let width = 0
  while (i < text.length && width < columns) {
    CSI_AT.lastIndex = i
    const csi = CSI_AT.exec(text)
    if (csi !== null) { i += csi[0].length; continue }
    const grapheme = segmenter.segment(text.slice(i, i + 32))[Symbol.iterator]().next().value?.segment ?? text[i]
    width += displayWidth(grapheme)
    i += grapheme.length
  }
  // Escape codes right at the boundary belong to the prefix (they style what precedes them or are reset codes).
  for (;;) {
    CSI_AT.lastIndex = i
    const csi = CSI_AT.exec(text)
    if (csi === null) break
    i += csi[0].length
  }
  return i
}

/**
 * `text` (one logical line, possibly coloured) wrapped to `columns`: rows joined
 * by `\n`, continuation rows indented. Text that fits is returned unchanged.
 */
export function wrapLine (text: string, columns: number): string {
  if (columns < 2 || displayWidth(text) <= columns) return text
  let { cut: cutColumns, indent } = layout(stripVTControlCharacters(text))
  // Too narrow for the hanging indent: plain word-wrap, every row from the left edge.
  if (indent > columns * MAX_INDENT_SHARE) { indent = 0; cutColumns = 0 }
  const cut = indexAfterColumns(text, cutColumns)
  const prefix = text.slice(0, cut)
  // Styles opened in the prefix (a dim history line, say) continue over the wrapped rows.
  const carried = (prefix.match(SGR) ?? []).join('')
  const rows = wrapAnsi(carried + text.slice(cut), columns - indent, { hard: true })
  return prefix + rows.split('\n').join('\n' + ' '.repeat(indent))
}
