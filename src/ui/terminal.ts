/**
 * The interactive terminal front end, on `node:readline`. The prompt carries
 * state (`[x · 4 peers] alice> `; `[dm bob] alice> ` while `/query` is open).
 * Incoming lines print above the input line without disturbing what is half
 * typed: the input area is cleared, the lines written, and the prompt redrawn
 * with `rl.prompt(true)`; lines arriving in the same tick are batched into one
 * write. An own line's delivery mark (`…` `·` `✓` `✗`), and an own direct
 * message's (`…` `✓` `✗`), is rewritten in place while the line is still on screen
 * (`own-line-tracker.ts`), in the same batched write. An incoming direct
 * message rings the bell. The prompt is rebuilt
 * on every repaint, and a repaint follows every presence and `room:change`
 * event, so it always shows the active room. Tab completes commands, room
 * names after `/join `, and nicks. PageUp prints the stored history a page (20
 * messages) further back each time, PageDown a page nearer (as `/history 20 <skip>`).
 * Ctrl-C clears a non-empty line, or quits on an empty one; a second Ctrl-C
 * within the force window calls `forceExit(130)`. Ctrl-D quits.
 */

import readline from 'node:readline'
import { parseInput } from './commands.js'
import { complete } from './completer.js'
import { dispatch } from './dispatch.js'
import { renderSessionEvents } from './events.js'
import { formatPrompt, formatQueryPrompt, isFinalState } from './format.js'
import { DirectView } from './direct-view.js'
import { isDirectLine } from './direct-lines.js'
import { shortId } from './short-id.js'
import { FORCE_EXIT_CODE } from './options.js'
import { OwnLineTracker, type OwnLine } from './own-line-tracker.js'
import { displayWidth, printedRows } from './text-width.js'
import { wrapLine } from './wrap.js'
import { isMention } from './mention.js'
import type { UiExitReason, UiOptions, UiResult } from './options.js'
import type { Renderer } from './renderer.js'
import type { ChatLine, ChatSession, DirectLine, SessionEventMap } from '../session/types.js'

/** The options the terminal front end uses. */
export type TerminalOptions = Pick<UiOptions,
'input' | 'output' | 'forceExit' | 'historySize' | 'inputHistory' | 'onInputHistory' | 'forceExitWindowMs' | 'signal' | 'bell'>

function columnsOf (output: UiOptions['output']): number {
  const columns = (output as { columns?: number }).columns
  return columns !== undefined && columns > 0 ? columns : 80
}

function rowsOf (output: UiOptions['output']): number {
  const rows = (output as { rows?: number }).rows
  return rows !== undefined && rows > 0 ? rows : 0
}

/** A line waiting for the next repaint; `own` is the own chat line or direct message it shows, when its mark may still change. */
interface PendingLine { text: string, own?: OwnLine }

/** Messages per PageUp / PageDown page of history. */
const PAGE_LINES = 20

/** Logical lines kept to redraw the screen, re-wrapped, after a resize. */
const REDRAW_LINES = 500

/** Runs the interactive UI until `/quit`, Ctrl-D, Ctrl-C on an empty line, or `options.signal` aborts; `direct` holds the open `/query`. */
export async function runTerminal (session: ChatSession, renderer: Renderer, options: TerminalOptions, direct = new DirectView(session)): Promise<UiResult> {
  const { input, output } = options
  const prompt = (): string => {
    const query = direct.query
    if (query !== undefined) return formatQueryPrompt(query.nick ?? shortId(query.peer), session.nick)
    let peers: number | undefined
    try { peers = session.topicPeerCount() } catch { peers = undefined }
    return formatPrompt(session.topic, peers, session.nick)
  }
  const tracker = new OwnLineTracker(() => ({ columns: columnsOf(output), rows: rowsOf(output) }))
  const rl = readline.createInterface({
    input,
    output,
    terminal: true,
    prompt: prompt(),
    historySize: options.historySize,
    history: [...options.inputHistory],
    removeHistoryDuplicates: true,
    completer: (line: string) => {
      let result: [string[], string]
      try { result = complete(line, session.knownNicks(), () => session.rooms().map(r => r.name)) } catch { result = [[], line] }
      if (result[0].length > 1) tracker.forget() // readline may list them, in rows we do not count
      return result
    }
  })

  let state: 'running' | 'quitting' | 'closed' = 'running'
  /** Set once readline has closed (Ctrl-D, end of input, or us): it must not be prompted again. */
  let rlClosed = false
  /** The terminal went away (its window was closed): reads and writes fail (EIO), so nothing more is written. */
  let gone = false
  let pending: PendingLine[] = []
  /** Own lines already written whose state changed since the last repaint, by id. */
  const restated = new Map<string, OwnLine>()
  const { ownLine, ownDirect } = renderer
  /** The row of an own line showing its state; undefined when the renderer cannot rewrite lines. */
  const ownText = ownLine === undefined || ownDirect === undefined
    ? undefined
    : (line: OwnLine): string => isDirectLine(line) ? ownDirect(line, direct.nickOf(line.peer)) : ownLine(line)
  let repaint: NodeJS.Immediate | undefined
  let forceWindow: NodeJS.Timeout | undefined
  /** The last lines written (logical, unwrapped), for the redraw after a resize. */
  const shown: PendingLine[] = []
  /** Set by a resize: the next repaint redraws the screen. */
  let resized = false
  /** Set by a live line naming you: the next repaint rings the bell (BEL), once. */
  let ring = false
  /** Keeps the redraw copy of an own line in step with its delivery state. */
  const updateShown = (line: OwnLine): void => {
    if (ownText === undefined) return
    for (let i = shown.length - 1; i >= 0; i--) {
      if (shown[i].own?.id !== line.id) continue
      shown[i] = { text: ownText(line), own: isFinalState(line.state) ? undefined : line }
      return
    }
  }

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
    if (gone) {
      pending = []
      restated.clear()
      return
    }
    const lines = pending.map(l => l.text)
    const written = pending
    pending = []
    const changed = [...restated.values()]
    restated.clear()
    if (state === 'closed' || rlClosed) {
      if (lines.length > 0 && output.writable) output.write(lines.join('\n') + '\n')
      return
    }
    clearInputArea()
    tracker.inputCleared()
    let out = ''
    const columns = columnsOf(output)
    if (resized) {
      // Terminals do not re-flow our hard-wrapped rows: redraw what fits, wrapped to the new width.
      resized = false
      out += '\x1b[H\x1b[2J'
      tracker.screenCleared()
      for (const line of changed) updateShown(line)
      changed.length = 0
      const room = Math.max(1, rowsOf(output) - 1)
      let used = 0
      let from = shown.length
      while (from > 0 && used + printedRows(wrapLine(shown[from - 1].text, columns), columns) <= room) {
        from--
        used += printedRows(wrapLine(shown[from].text, columns), columns)
      }
      for (const line of shown.slice(from)) {
        const wrapped = wrapLine(line.text, columns)
        tracker.wrote(wrapped, line.own)
        out += wrapped + '\n'
      }
    }
    for (const line of changed) {
      updateShown(line)
      out += ownText === undefined ? '' : tracker.rewrite(line, wrapLine(ownText(line), columns)) ?? ''
    }
    for (const line of written) {
      const wrapped = wrapLine(line.text, columns)
      tracker.wrote(wrapped, line.own)
      out += wrapped + '\n'
      shown.push({ text: line.text, own: line.own })
    }
    if (shown.length > REDRAW_LINES) shown.splice(0, shown.length - REDRAW_LINES)
    if (ring) out += '\x07'
    ring = false
    if (out !== '') output.write(out)
    rl.setPrompt(state === 'running' ? prompt() : '')
    rl.prompt(true)
    tracker.inputDrawn(rl.getPrompt() + rl.line)
  }
  const scheduleRepaint = (): void => { repaint ??= setImmediate(flush) }
  /** Queues `lines` for the next repaint; the last one shows `own`, when given. */
  const enqueue = (lines: string[], own?: OwnLine): void => {
    if (lines.length === 0) return
    pending.push(...lines.map((text, i) => ({ text, own: i === lines.length - 1 ? own : undefined })))
    scheduleRepaint()
  }
  const print = (lines: string[]): void => { enqueue(lines) }
  const printMessage = (lines: string[], line: ChatLine): void => {
    if (options.bell !== false && line.history !== true && isMention(line, session.nick)) ring = true
    const track = ownText !== undefined && line.own && line.history !== true && !isFinalState(line.state)
    enqueue(lines, track ? line : undefined)
  }
  const printDirect = (lines: string[], line: DirectLine): void => {
    if (options.bell !== false && !line.own) ring = true
    const track = ownText !== undefined && line.own && !isFinalState(line.state)
    enqueue(lines, track ? line : undefined)
  }
  /**
   * Gives own line `id` its new mark: in the batch still to be written, or in place on screen.
   * `next` is the line with its new state, or undefined when the line is not of the event's kind.
   */
  const restate = (id: string, next: (line: OwnLine) => OwnLine | undefined): void => {
    if (ownText === undefined) return
    const queued = pending.find(l => l.own?.id === id)
    if (queued?.own !== undefined) {
      const line = next(queued.own)
      if (line === undefined) return
      queued.own = isFinalState(line.state) ? undefined : line
      queued.text = ownText(line)
      return
    }
    const onScreen = restated.get(id) ?? tracker.line(id)
    if (onScreen === undefined) {
      // Off screen (or no longer tracked): a redraw after a resize must still show the new mark.
      const kept = [...shown].reverse().find(l => l.own?.id === id)?.own
      const line = kept === undefined || isFinalState(kept.state) ? undefined : next(kept)
      if (line !== undefined) updateShown(line)
      return
    }
    if (isFinalState(onScreen.state)) return
    const line = next(onScreen)
    if (line === undefined) return
    restated.set(id, line)
    scheduleRepaint()
  }
  const onState = ({ id, state }: SessionEventMap['message:state']): void => {
    restate(id, line => isDirectLine(line) ? undefined : { ...line, state })
  }
  const onDirectState = ({ id, state }: SessionEventMap['dm:state']): void => {
    restate(id, line => isDirectLine(line) ? { ...line, state } : undefined)
  }
  const syncInput = (): void => { if (state === 'running' && !rlClosed) tracker.inputDrawn(rl.getPrompt() + rl.line) }

  /** After Enter, readline leaves `prompt + line` on screen; a chat line is about to be shown formatted, so remove the echo. */
  const eraseEcho = (line: string): void => {
    const width = displayWidth(rl.getPrompt() + line)
    readline.moveCursor(output, 0, -(Math.floor(width / columnsOf(output)) + 1))
    readline.cursorTo(output, 0)
    readline.clearScreenDown(output)
    tracker.echoErased()
  }

  const ctx = {
    session,
    renderer,
    print,
    clear: () => {
      readline.cursorTo(output, 0, 0)
      readline.clearScreenDown(output)
      tracker.screenCleared()
      scheduleRepaint()
    },
    refreshPrompt: scheduleRepaint,
    direct
  }
  const unsubscribe = renderSessionEvents(session, renderer, print, { onPresence: scheduleRepaint, printMessage, onState, printDirect, onDirectState, direct })
  const onResize = (): void => {
    resized = true
    scheduleRepaint()
  }
  output.on('resize', onResize)
  input.on('keypress', syncInput)
  /** How many of the newest stored messages PageUp has paged past (PageDown comes back). */
  let pagedBack = 0
  const onPageKey = (_s: string | undefined, key: { name?: string } | undefined): void => {
    if (state !== 'running' || (key?.name !== 'pageup' && key?.name !== 'pagedown')) return
    if (key.name === 'pageup') pagedBack += PAGE_LINES
    else if (pagedBack === 0) return
    else pagedBack = Math.max(0, pagedBack - PAGE_LINES)
    // The page ending `skip` messages back: the first PageUp shows the newest PAGE_LINES.
    void dispatch({ type: 'history', limit: PAGE_LINES, skip: Math.max(0, pagedBack - PAGE_LINES) }, ctx)
  }
  input.on('keypress', onPageKey)

  return await new Promise<UiResult>(resolve => {
    const detach = (): void => {
      unsubscribe()
      output.off('resize', onResize)
      input.off('keypress', syncInput)
      input.off('keypress', onPageKey)
      options.signal?.removeEventListener('abort', onAbort)
    }
    const close = (): void => {
      if (state === 'closed') return
      if (forceWindow !== undefined) clearTimeout(forceWindow)
      if (gone) {
        state = 'closed'
        if (!rlClosed) rl.close()
        return
      }
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
      resolve(gone ? { reason, terminalGone: true } : { reason })
    }
    const onAbort = (): void => { finish('quit') }

    const quitOnSigint = (): void => {
      detach()
      state = 'quitting'
      pending.push(...renderer.notice({ level: 'info', text: 'quitting (Ctrl-C again to force)' }).map(text => ({ text })))
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
      if (parsed.type === 'say' || parsed.type === 'me' || parsed.type === 'msg') eraseEcho(line)
      else tracker.echoKept()
      rl.prompt()
      syncInput()
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
          syncInput()
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
    // Closing the terminal window (the pty's master goes) is a clean quit, like /quit: the
    // failing reads and writes (EIO) end the UI instead of crashing the process.
    const onTerminalGone = (): void => {
      gone = true
      if (state === 'running') finish('quit')
      else close()
    }
    rl.on('error', onTerminalGone)
    input.on('error', onTerminalGone)
    output.on('error', onTerminalGone)
    rl.on('history', (history: string[]) => { options.onInputHistory?.(history) })

    if (options.signal?.aborted === true) { finish('quit'); return }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    rl.prompt()
    syncInput()
  })
}
