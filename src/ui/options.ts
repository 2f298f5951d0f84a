/**
 * Options of `runUi`, their named defaults, and their resolution: callers pass
 * `Partial<UiOptions>`, which is spread over the defaults and validated.
 */

import { P2pchatError } from '../errors.js'
import type { Readable, Writable } from 'node:stream'

/** Why the UI returned: `/quit` or Ctrl-D (`quit`), end of piped stdin (`eof`), Ctrl-C on an empty line (`sigint`). */
export type UiExitReason = 'quit' | 'eof' | 'sigint'

/** What `runUi` resolves with. */
export interface UiResult {
  reason: UiExitReason
  /** True when the terminal went away (its window was closed): nothing can be written to it any more. */
  terminalGone?: boolean
}

/** Everything `runUi` can be told. */
export interface UiOptions {
  /** Where typed or piped lines come from. @default process.stdin */
  input: Readable
  /** Where lines are written. Logs never go here. @default process.stdout */
  output: Writable
  /** Readline terminal UI (prompt, completion, in-place repaint) vs plain line mode. @default input.isTTY && output.isTTY */
  interactive: boolean
  /** Print NDJSON events instead of text (always line mode, never a prompt). @default false */
  json: boolean
  /** Colour text output. The caller decides, normally with `shouldUseColor`. @default false */
  color: boolean
  /** Ends the process; called with 130 on a second Ctrl-C while quitting. @default process.exit */
  forceExit: (code: number) => void
  /** Clock for system-line timestamps, ms since the epoch. @default Date.now */
  now: () => number
  /** Lines of in-memory input history (arrow up). @default 500 */
  historySize: number
  /** Input history to start with, newest first (for history persisted by the caller). @default [] */
  inputHistory: readonly string[]
  /** Called with the input history, newest first, whenever it changes, so the caller can persist it. @default undefined */
  onInputHistory: ((history: string[]) => void) | undefined
  /** How long after a Ctrl-C quit a second Ctrl-C forces exit 130, in ms. @default 2000 */
  forceExitWindowMs: number
  /** Aborting it makes the UI return with reason `quit` (e.g. on SIGTERM). @default undefined */
  signal: AbortSignal | undefined
  /** At start, print up to this many stored lines of the room as history (nothing when there are none). @default 0 */
  /** Says at start when the session starts in a private room (the CLI's `--join`). @default false */
  announcePrivateRoom: boolean
  replayHistory: number
  /** Ring the terminal bell when a live line mentions your nick (interactive mode only; `--no-bell`). @default true */
  bell: boolean
}

/** Default in-memory input history length. */
export const DEFAULT_HISTORY_SIZE = 500
/** Window for the forcing second Ctrl-C, the common convention of 2 s. */
export const DEFAULT_FORCE_EXIT_WINDOW_MS = 2000
/** Exit code of a forced quit: 128 + SIGINT. */
export const FORCE_EXIT_CODE = 130

function isTty (stream: Readable | Writable): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true
}

function defined<T extends object> (partial: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** `options` spread over the defaults and validated; throws P2pchatError('INVALID_FLAG') on a bad value. */
export function resolveUiOptions (options: Partial<UiOptions> = {}): UiOptions {
  const given = defined(options)
  const input = given.input ?? process.stdin
  const output = given.output ?? process.stdout
  const resolved: UiOptions = {
    input,
    output,
    interactive: isTty(input) && isTty(output),
    json: false,
    color: false,
    forceExit: code => { process.exit(code) },
    now: Date.now,
    historySize: DEFAULT_HISTORY_SIZE,
    inputHistory: [],
    onInputHistory: undefined,
    forceExitWindowMs: DEFAULT_FORCE_EXIT_WINDOW_MS,
    signal: undefined,
    replayHistory: 0,
    announcePrivateRoom: false,
    bell: true,
    ...given
  }
  if (!Number.isInteger(resolved.historySize) || resolved.historySize < 0) {
    throw new P2pchatError('INVALID_FLAG', `historySize must be a non-negative integer, got ${resolved.historySize}`)
  }
  if (!Number.isInteger(resolved.replayHistory) || resolved.replayHistory < 0) {
    throw new P2pchatError('INVALID_FLAG', `replayHistory must be a non-negative integer, got ${resolved.replayHistory}`)
  }
  if (!Number.isFinite(resolved.forceExitWindowMs) || resolved.forceExitWindowMs < 0) {
    throw new P2pchatError('INVALID_FLAG', `forceExitWindowMs must be a non-negative number, got ${resolved.forceExitWindowMs}`)
  }
  return resolved
}
