/**
 * Line mode, for piped stdin or `--json`: each input line goes through
 * `parseInput` (plain lines are sent, `/` lines are commands, so scripts can
 * `/connect`), lines are handled one after another in order, and every event
 * prints as one line. Resolves `eof` at the end of input, once every line
 * read has been handled, or `quit` on `/quit`.
 */

import readline from 'node:readline'
import { parseInput } from './commands.js'
import { dispatch } from './dispatch.js'
import { renderSessionEvents } from './events.js'
import { DirectView } from './direct-view.js'
import type { DispatchOutcome } from './dispatch.js'
import type { UiExitReason, UiOptions, UiResult } from './options.js'
import type { Renderer } from './renderer.js'
import type { ChatSession } from '../session/types.js'

/** Runs line mode until end of input, `/quit`, or `options.signal` aborts; `direct` holds the open `/query`. */
export async function runPlain (session: ChatSession, renderer: Renderer, options: Pick<UiOptions, 'input' | 'output' | 'signal'>, direct = new DirectView(session)): Promise<UiResult> {
  const { input, output, signal } = options
  const print = (lines: string[]): void => {
    if (lines.length > 0 && output.writable) output.write(lines.join('\n') + '\n')
  }
  const ctx = { session, renderer, print, clear: () => {}, refreshPrompt: () => {}, direct }
  const rl = readline.createInterface({ input, crlfDelay: Infinity, terminal: false })
  const unsubscribe = renderSessionEvents(session, renderer, print, { direct })

  return await new Promise<UiResult>(resolve => {
    let done = false
    let queue: Promise<DispatchOutcome> = Promise.resolve('continue')

    const finish = (reason: UiExitReason): void => {
      if (done) return
      done = true
      unsubscribe()
      signal?.removeEventListener('abort', onAbort)
      output.off('error', onOutputError)
      rl.close()
      resolve({ reason })
    }
    const onAbort = (): void => { finish('quit') }
    // A closed pipe downstream (`| head`) ends the UI rather than crashing it.
    const onOutputError = (): void => { finish('eof') }

    rl.on('line', line => {
      queue = queue.then(async prev => prev === 'quit' || done ? 'quit' : await dispatch(parseInput(line), ctx))
      void queue.then(outcome => { if (outcome === 'quit') finish('quit') })
    })
    rl.on('close', () => { void queue.then(() => { finish('eof') }) })
    output.on('error', onOutputError)
    if (signal?.aborted === true) finish('quit')
    else signal?.addEventListener('abort', onAbort, { once: true })
  })
}
