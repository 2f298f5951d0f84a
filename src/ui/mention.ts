/**
 * Mentions and day changes: whether a chat line names you (for the highlight and
 * the terminal bell), and the day-change line between lines of different days.
 */

import type { ChatLine } from '../session/types.js'

const WORD_CHAR = /[\p{L}\p{N}_]/u
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** True when `text` holds `nick` as a whole word, in any case (`@alice`, `alice:` and `Alice,` count; `malice` does not). */
export function mentions (text: string, nick: string): boolean {
  if (nick === '') return false
  const haystack = text.toLocaleLowerCase()
  const needle = nick.toLocaleLowerCase()
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = at === 0 ? '' : haystack[at - 1]
    const after = haystack.slice(at + needle.length, at + needle.length + 1)
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true
  }
  return false
}

/** True when `line` is someone else's live or replayed line naming `nick`. */
export function isMention (line: ChatLine, nick: string): boolean {
  return !line.own && mentions(line.text, nick)
}

/** The local calendar day of `ms`, as `YYYY-MM-DD`. */
export function localDay (ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** The text of a day-change line for `ms`: `Day changed to Wednesday 2026-12-02`. */
export function dayChangeText (ms: number): string {
  return `Day changed to ${DAY_NAMES[new Date(ms).getDay()]} ${localDay(ms)}`
}
