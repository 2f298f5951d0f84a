/**
 * Where recent own chat lines (room lines and direct messages) sit on the terminal, so that the interactive
 * UI can rewrite a line in place when its delivery state changes (`…` to
 * `✓`). Every row written above the prompt is counted; an own line's
 * distance from the prompt is the rows written after it plus its own.
 *
 * The screen's top is not known, so a line counts as on screen only while
 * that distance fits in `rows` minus the empty rows that may lie below the
 * input area (`slack`: left when a long input shrinks or a sent line's echo
 * is erased, used up by later output). Until the first scroll every line is
 * on screen anyway, and from the first scroll on (the cursor then being on
 * the bottom row) the slack is exact, so an off-screen line is never
 * "rewritten" over another. Anything that writes rows this module does not
 * see (completion lists) must call `forget`; after a resize the terminal redraws
 * its lines (`screenCleared`, then `wrote` again). `text` passed in is already
 * wrapped to the width (`wrap.ts`): rows are counted per `\n`-separated part.
 */

import { isFinalState } from './format.js'
import { inputRows, printedRows } from './text-width.js'
import type { ChatLine, DirectLine } from '../session/types.js'

/** An own line whose mark may change: a room line or a direct message (ids never collide: both are hashes). */
export type OwnLine = ChatLine | DirectLine

/** How many own lines are remembered. */
export const OWN_LINE_LIMIT = 200

/** The terminal's size; `rows` 0 when unknown (nothing is then rewritten). */
export interface ScreenSize { columns: number, rows: number }

interface Entry {
  line: OwnLine
  /** Rows the line takes. */
  rows: number
  /** `total` just after it was written. */
  end: number
}

/**
 * The escape sequence that replaces the `rows` rows starting `up` rows above
 * the cursor with `text`, leaving the cursor where it was: save the cursor,
 * move up, clear each row, write, restore the cursor.
 */
export function rewriteSequence (up: number, rows: number, text: string): string {
  let seq = `\x1b7\x1b[${up}A\r\x1b[2K`
  for (let i = 1; i < rows; i++) seq += '\x1b[1B\x1b[2K'
  if (rows > 1) seq += `\x1b[${rows - 1}A`
  return seq + text + '\x1b8'
}

/** Own lines on screen, and the row bookkeeping that locates them. Holds no I/O. */
export class OwnLineTracker {
  private readonly entries = new Map<string, Entry>()
  /** Rows written above the prompt so far. */
  private total = 0
  /** Upper bound, once the screen has scrolled, of empty rows below the input area. */
  private slack = 0
  /** Rows the input area takes now. */
  private input = 1

  /** `size` is read whenever rows are counted. */
  constructor (private readonly size: () => ScreenSize, private readonly limit = OWN_LINE_LIMIT) {}

  /** Stops tracking every line (their positions are no longer known). */
  forget (): void { this.entries.clear() }

  /** The screen was cleared, the cursor is at its top. */
  screenCleared (): void {
    this.forget()
    this.slack = 0
  }

  /** The input area was cleared and the cursor put at its first row. */
  inputCleared (): void {
    this.slack += this.input - 1
    this.input = 1
  }

  /** The input area was (re)drawn as `text` (prompt and typed text). */
  inputDrawn (text: string): void {
    const rows = inputRows(text, this.size().columns)
    this.slack = Math.max(0, this.slack + this.input - rows)
    this.input = rows
  }

  /** Enter was pressed and the echoed input stays on screen above the new prompt. */
  echoKept (): void {
    const rows = this.input
    this.inputCleared()
    this.advance(rows)
  }

  /** Enter was pressed and the echoed input was erased; the prompt goes where it began. */
  echoErased (): void {
    // Enter's newline scrolled the screen when the input ended on the bottom row.
    this.slack = Math.max(this.slack, 1) + this.input - 1
    this.input = 1
  }

  /** `text` was printed as one line at the cursor (the input area cleared); `own` is the own line it shows, to track. */
  wrote (text: string, own?: OwnLine): void {
    const rows = printedRows(text, this.size().columns)
    this.advance(rows)
    if (own === undefined || isFinalState(own.state)) return
    this.entries.delete(own.id)
    this.entries.set(own.id, { line: own, rows, end: this.total })
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value ?? '')
  }

  /** The tracked own line with id `id`, as last written. */
  line (id: string): OwnLine | undefined {
    return this.entries.get(id)?.line
  }

  /**
   * The sequence that rewrites the tracked line `line.id` as `text`, with the
   * cursor at the start of the (cleared) input area; undefined when the line
   * is not tracked, has left the screen, or `text` would need more rows.
   * Lines in a final state are no longer tracked afterwards.
   */
  rewrite (line: OwnLine, text: string): string | undefined {
    const entry = this.entries.get(line.id)
    if (entry === undefined) return undefined
    const up = this.total - entry.end + entry.rows
    if (up + this.slack + this.input - 1 >= this.size().rows) {
      this.entries.delete(line.id) // it only moves further up
      return undefined
    }
    if (printedRows(text, this.size().columns) > entry.rows) return undefined
    if (isFinalState(line.state)) this.entries.delete(line.id)
    else entry.line = line
    return rewriteSequence(up, entry.rows, text)
  }

  private advance (rows: number): void {
    this.total += rows
    this.slack = Math.max(0, this.slack - rows)
  }
}
