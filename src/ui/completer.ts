/**
 * Tab completion for the interactive prompt: command names after a leading
 * `/`, and known nicks for the word under the cursor (`alice: ` when the nick
 * starts the line, IRC style).
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

/**
 * Completes `line` (the text left of the cursor): a command when it is a
 * lone `/word`, else its last word against `nicks` (case-insensitive prefix).
 * Nicks with spaces or control characters are never offered.
 */
export function complete (line: string, nicks: readonly string[]): Completion {
  if (line.startsWith('/') && !/\s/.test(line)) return commandCompletions(line)
  const word = /(\S*)$/.exec(line)?.[1] ?? ''
  if (word === '') return [[], word]
  const lower = word.toLowerCase()
  const usable = [...new Set(nicks)].filter(n => n !== '' && sanitize(n) === n && !/\s/.test(n))
  const hits = usable.filter(n => n.toLowerCase().startsWith(lower)).sort()
  const atStart = word.length === line.length
  return [atStart && hits.length === 1 ? [`${hits[0]}: `] : hits, word]
}
