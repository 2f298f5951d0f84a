/**
 * The prompt's input history: a small JSON file in the profile directory
 * (`{"v":1,"lines":[…]}`, newest last, at most 500 lines, mode 0600 because lines may be
 * private), written atomically; or kept in memory with `--ephemeral`. A damaged file is
 * reported to the log and treated as empty: it is a convenience, not chat data.
 */
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from './atomic-file.js'

/** Most lines kept. */
export const MAX_INPUT_HISTORY = 500
/** Longest line kept (longer ones are not worth recalling). */
export const MAX_INPUT_LINE = 4_000

/** Load/save of the input history. */
export interface InputHistory {
  /** The file, when on disk. */
  readonly path?: string
  /** The saved lines, oldest first. */
  load: () => Promise<string[]>
  /** Replaces the saved lines (keeps the newest `MAX_INPUT_HISTORY`). */
  save: (lines: readonly string[]) => Promise<void>
}

/** `/join <name> <passphrase…>`: a line that holds a passphrase, never written to disk. */
const PASSPHRASE_JOIN = /^\/join\s+\S+\s+\S/

function clean (lines: readonly unknown[]): string[] {
  return lines.filter((l): l is string => typeof l === 'string' && l.length > 0 && l.length <= MAX_INPUT_LINE && !PASSPHRASE_JOIN.test(l)).slice(-MAX_INPUT_HISTORY)
}

/** Input history in a JSON file. */
export function fileInputHistory (path: string, log: (line: string) => void = () => {}): InputHistory {
  return {
    path,
    async load () {
      let raw: string
      try {
        raw = await readFile(path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`input history ${path}: ${(err as Error).message}`)
        return []
      }
      try {
        const parsed = JSON.parse(raw) as { v?: unknown, lines?: unknown }
        if (parsed.v === 1 && Array.isArray(parsed.lines)) return clean(parsed.lines)
      } catch {}
      log(`input history ${path} is damaged; starting with an empty one`)
      return []
    },
    async save (lines) {
      await writeFileAtomic(path, JSON.stringify({ v: 1, lines: clean(lines) }), 0o600)
    }
  }
}

/** Input history in memory only. */
export function memoryInputHistory (): InputHistory {
  let saved: string[] = []
  return {
    async load () { return [...saved] },
    async save (lines) { saved = clean(lines) }
  }
}
