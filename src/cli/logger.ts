/**
 * Diagnostics never go to the chat's stdout: they go to `--log-file`, and to
 * stderr when `DEBUG` names p2pchat (libp2p's own `DEBUG=libp2p:*` logging
 * goes to stderr by itself).
 */

import { createWriteStream, type WriteStream } from 'node:fs'

/** A log sink: one line at a time, closed at exit. */
export interface Logger {
  log: (line: string) => void
  close: () => Promise<void>
}

/** True when DEBUG asks for p2pchat's own lines. */
function debugEnabled (debug: string | undefined): boolean {
  return debug !== undefined && debug.split(',').some(p => p === '*' || p.startsWith('p2pchat'))
}

/** Builds the logger for a run. */
export function createLogger (logFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Logger {
  let file: WriteStream | undefined
  if (logFile !== undefined) {
    file = createWriteStream(logFile, { flags: 'a' })
    file.on('error', () => { file = undefined })
  }
  const toStderr = debugEnabled(env.DEBUG)
  return {
    log: (line: string) => {
      const stamped = `${new Date().toISOString()} ${line}\n`
      file?.write(stamped)
      if (toStderr) process.stderr.write(`p2pchat ${stamped}`)
    },
    close: async () => {
      const f = file
      if (f === undefined) return
      await new Promise<void>(resolve => { f.end(() => { resolve() }) })
    }
  }
}
