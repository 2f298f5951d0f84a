/**
 * `runUi`: the UI's single entry point. Picks the renderer (text or NDJSON)
 * and the front end (interactive terminal or line mode), drives the session
 * until the user quits, and removes every listener it added before returning.
 */

import { privateRoomText } from './private-lines.js'
import { createJsonRenderer } from './json.js'
import { resolveUiOptions } from './options.js'
import { runPlain } from './plain.js'
import { createTextRenderer } from './render-text.js'
import { createStyler } from './style.js'
import { runTerminal } from './terminal.js'
import type { UiOptions, UiResult } from './options.js'
import type { ChatSession } from '../session/types.js'

/** Colour depth of `output` in bits (8 = 256 colours); 8 when it cannot tell. */
function colorDepth (output: UiOptions['output']): number {
  const depth = (output as { getColorDepth?: () => number }).getColorDepth?.()
  return typeof depth === 'number' ? depth : 8
}

/**
 * Runs the chat UI over `session` until `/quit` or Ctrl-D (`quit`), end of
 * piped input (`eof`), Ctrl-C on an empty line (`sigint`), or
 * `options.signal` aborting (`quit`). Interactive mode needs a TTY on both
 * ends; `json` always uses line mode. Command failures print one error line
 * and never reject; only invalid options throw (P2pchatError INVALID_FLAG).
 */
export async function runUi (session: ChatSession, options: Partial<UiOptions> = {}): Promise<UiResult> {
  const opts = resolveUiOptions(options)
  const renderer = opts.json ? createJsonRenderer() : createTextRenderer(createStyler(opts.color, colorDepth(opts.output) >= 8), opts.now, { passingMarks: opts.interactive, ownNick: () => session.nick })
  if (opts.replayHistory > 0) {
    const stored = session.startupHistory?.(opts.replayHistory) ?? []
    if (stored.length > 0) opts.output.write(renderer.history(stored, opts.replayHistory).join('\n') + '\n')
  }
  // Started in a private room (`--join`): said once, as a switch to one would.
  let active: { name: string, private?: true } | undefined
  if (opts.announcePrivateRoom) try { active = session.rooms().find(r => r.joined) } catch {}
  if (active?.private === true && !opts.json) opts.output.write(renderer.notice({ level: 'info', text: privateRoomText(active.name) }).join('\n') + '\n')
  if (opts.interactive && !opts.json) return await runTerminal(session, renderer, opts)
  return await runPlain(session, renderer, opts)
}
