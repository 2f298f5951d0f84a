/**
 * Tab completion for the interactive prompt: command names after a leading
 * `/`, room names after `/join `, and known nicks for the word under the
 * cursor (`alice: ` when the nick starts the line, IRC style).
 */

import { COMMANDS } from './commands.js'
import { sanitize } from './sanitize.js'

/** A readline completer result: candidates, and the substring they complete. */
export type Completion = [string[], string]

function commandCompletions (line: string): Completion {
  const lower = line.toLowerCase()
  const all = COMMANDS.flatMap(c => [c.name, ...c.aliases].map(n => `/${n}${c.args === '' ? '' : ' '}`))
  const hits = all.filter(n => n.startsWith(lower))
  return [hits.length > 0 ? hits : all, line]
}

/** The names in `names` that can be typed back as they show (no spaces, no control characters). */
function typeable (names: readonly string[]): string[] {
  return [...new Set(names)].filter(n => n !== '' && sanitize(n) === n && !/\s/.test(n))
}

/** `/join <partial>`: room names starting with the partial (case-insensitive), all of them when it is empty. */
function roomCompletions (word: string, rooms: readonly string[]): Completion {
  const lower = word.toLowerCase()
  return [typeable(rooms).filter(n => n.toLowerCase().startsWith(lower)).sort(), word]
}

/**
 * Completes `line` (the text left of the cursor): a command when it is a
 * lone `/word`, a room from `rooms()` after `/join ` (called only then),
 * else its last word against `nicks` (case-insensitive prefix). Names with
 * spaces or control characters are never offered.
 */
export function complete (line: string, nicks: readonly string[], rooms: () => readonly string[] = () => []): Completion {
  if (line.startsWith('/') && !/\s/.test(line)) return commandCompletions(line)
  const join = /^\/join\s+(\S*)$/i.exec(line)
  if (join !== null) return roomCompletions(join[1], rooms())
  const word = /(\S*)$/.exec(line)?.[1] ?? ''
  if (word === '') return [[], word]
  const lower = word.toLowerCase()
  const usable = typeable(nicks)
  const hits = usable.filter(n => n.toLowerCase().startsWith(lower)).sort()
  const atStart = word.length === line.length
  return [atStart && hits.length === 1 ? [`${hits[0]}: `] : hits, word]
}
