/**
 * The interactive terminal front end, on `node:readline`. The prompt carries
 * state (`[x · 4 peers] alice> `). Incoming lines print above the input line
 * without disturbing what is half typed: the input area is cleared, the lines
 * written, and the prompt redrawn with `rl.prompt(true)`; lines arriving in
 * the same tick are batched into one write. Tab completes commands and nicks.
 * Ctrl-C clears a non-empty line, or quits on an empty one; a second Ctrl-C
 * within the force window calls `forceExit(130)`. Ctrl-D quits.
 */

import readline from 'node:readline'
import { parseInput } from './commands.js'
import { complete } from './completer.js'
import { dispatch } from './dispatch.js'
import { renderSessionEvents } from './events.js'
import { formatPrompt } from './format.js'
import { FORCE_EXIT_CODE } from './options.js'
import type { UiExitReason, UiOptions, UiResult } from './options.js'
import type { Renderer } from './renderer.js'
import type { ChatSession } from '../room/types.js'

/** The options the terminal front end uses. */
export type TerminalOptions = Pick<UiOptions,
'input' | 'output' | 'forceExit' | 'historySize' | 'inputHistory' | 'onInputHistory' | 'forceExitWindowMs' | 'signal'>

function columnsOf (output: UiOptions['output']): number {
  const columns = (output as { columns?: number }).columns
  return columns !== undefined && columns > 0 ? columns : 80
}

/** Runs the interactive UI until `/quit`, Ctrl-D, Ctrl-C on an empty line, or `options.signal` aborts. */
export async function runTerminal (session: ChatSession, renderer: Renderer, options: TerminalOptions): Promise<UiResult> {
  const { input, output } = options
  const prompt = (): string => {
    let peers: number | undefined
    try { peers = session.topicPeerCount() } catch { peers = undefined }
    return formatPrompt(session.topic, peers, session.nick)
  }
  const rl = readline.createInterface({
    input,
    output,
    terminal: true,
    prompt: prompt(),
    historySize: options.historySize,
    history: [...options.inputHistory],
    removeHistoryDuplicates: true,
    completer: (line: string) => {
      try { return complete(line, session.knownNicks()) } catch { return [[], line] }
    }
  })

  let state: 'running' | 'quitting' | 'closed' = 'running'
  /** Set once readline has closed (Ctrl-D, end of input, or us): it must not be prompted again. */
  let rlClosed = false
  let pending: string[] = []
  let repaint: NodeJS.Immediate | undefined
  let forceWindow: NodeJS.Timeout | undefined

  /** Moves to the top-left of the prompt (which may wrap over several rows) and clears to the end of the screen. */
  const clearInputArea = (): void => {
    const { rows } = rl.getCursorPos()
    if (rows > 0) readline.moveCursor(output, 0, -rows)
    readline.clearLine(output, 0)
    readline.cursorTo(output, 0)
    readline.clearScreenDown(output)
  }

  const flush = (): void => {
    if (repaint !== undefined) clearImmediate(repaint)
    repaint = undefined
    const lines = pending
    pending = []
    if (state === 'closed' || rlClosed) {
      if (lines.length > 0 && output.writable) output.write(lines.join('\n') + '\n')
      return
    }
    clearInputArea()
    if (lines.length > 0) output.write(lines.join('\n') + '\n')
    rl.setPrompt(state === 'running' ? prompt() : '')
    rl.prompt(true)
  }
  const scheduleRepaint = (): void => { repaint ??= setImmediate(flush) }
  const print = (lines: string[]): void => {
    if (lines.length === 0) return
    pending.push(...lines)
    scheduleRepaint()
  }

  /** After Enter, readline leaves `prompt + line` on screen; a chat line is about to be shown formatted, so remove the echo. */
  const eraseEcho = (line: string): void => {
    const width = [...rl.getPrompt()].length + [...line].length
    readline.moveCursor(output, 0, -(Math.floor(width / columnsOf(output)) + 1))
    readline.cursorTo(output, 0)
    readline.clearScreenDown(output)
  }

  const ctx = {
    session,
    renderer,
    print,
    clear: () => {
      readline.cursorTo(output, 0, 0)
      readline.clearScreenDown(output)
      scheduleRepaint()
    },
    onNickChange: scheduleRepaint
  }
  const unsubscribe = renderSessionEvents(session, renderer, print, scheduleRepaint)

  return await new Promise<UiResult>(resolve => {
    const detach = (): void => {
      unsubscribe()
      options.signal?.removeEventListener('abort', onAbort)
    }
    const close = (): void => {
      if (state === 'closed') return
      if (forceWindow !== undefined) clearTimeout(forceWindow)
      if (!rlClosed) {
        flush()
        clearInputArea() // leave the cursor at the start of a clean row, without a prompt
      } else {
        readline.cursorTo(output, 0)
        readline.clearLine(output, 0)
      }
      state = 'closed'
      flush()
      if (!rlClosed) rl.close()
    }
    const finish = (reason: UiExitReason): void => {
      if (state !== 'running') return
      detach()
      close()
      resolve({ reason })
    }
    const onAbort = (): void => { finish('quit') }

    const quitOnSigint = (): void => {
      detach()
      state = 'quitting'
      pending.push(...renderer.notice({ level: 'info', text: 'quitting (Ctrl-C again to force)' }))
      flush()
      forceWindow = setTimeout(close, options.forceExitWindowMs)
      forceWindow.unref()
      // Keep listening for the forcing Ctrl-C, but do not hold the process open for it.
      ;(input as { unref?: () => void }).unref?.()
      resolve({ reason: 'sigint' })
    }

    rl.on('line', line => {
      if (state !== 'running') return
      const parsed = parseInput(line)
      if (parsed.type === 'say' || parsed.type === 'me') eraseEcho(line)
      rl.prompt()
      void dispatch(parsed, ctx).then(outcome => { if (outcome === 'quit') finish('quit') })
    })
    rl.on('SIGINT', () => {
      if (state === 'quitting') {
        close()
        options.forceExit(FORCE_EXIT_CODE)
      } else if (state === 'running') {
        if (rl.line.length > 0) {
          rl.write(null, { ctrl: true, name: 'e' })
          rl.write(null, { ctrl: true, name: 'u' })
        } else {
          quitOnSigint()
        }
      }
    })
    rl.on('close', () => {
      rlClosed = true
      if (state === 'running') finish('quit')
      else close()
    })
    rl.on('history', (history: string[]) => { options.onInputHistory?.(history) })

    if (options.signal?.aborted === true) { finish('quit'); return }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    rl.prompt()
  })
}
