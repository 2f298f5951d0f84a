/**
 * The public surface of the UI layer: `runUi` and its options, the colour
 * decision, the input parser, and the pure formatters (for the CLI and tests).
 */

export { runUi } from './run.js'
export { resolveUiOptions, DEFAULT_HISTORY_SIZE, DEFAULT_FORCE_EXIT_WINDOW_MS, FORCE_EXIT_CODE } from './options.js'
export type { UiOptions, UiResult, UiExitReason } from './options.js'
export { shouldUseColor, createStyler, peerColor, PEER_PALETTE } from './style.js'
export type { ColorContext, Styler, StyleFormat } from './style.js'
export { parseInput, COMMANDS, HISTORY_DEFAULT, HISTORY_MAX, STATUS_TEXT_MAX, TITLE_MAX, BAN_REASON_MAX, closestCommand, commandNames, findCommand, usage } from './commands.js'
export type { CommandSpec, ParsedInput } from './commands.js'
export { clockTime, formatChatLine, formatPeerEvent, formatPrompt, formatSystemLine, isFinalState, peerLabel, OWN_STATE_MARKS, HISTORY_MARK, TRUSTED_MARK, FINAL_MARK, LATE_WORD } from './format.js'
export type { SystemLevel } from './format.js'
export { peersTable, statusLines, identityLines, helpLines, alignColumns } from './tables.js'
export { roomsTable, whoTable, ago, WHO_LIMIT } from './roster-tables.js'
export { RosterLines, censusText, roomChangeText, COLLAPSE_OVER } from './roster-lines.js'
export { shortId } from './short-id.js'
export { committeeLines } from './committee-tables.js'
export { governanceLine, governedText } from './governance-lines.js'
export { resolveMessage, shortMessageId } from './message-ref.js'
export { resolvePeer } from './peer-ref.js'
export { sanitize } from './sanitize.js'
export { createJsonRenderer, governanceFields, messageFields, rosterFields, toJsonLine } from './json.js'
export type { JsonMessage, JsonValue } from './json.js'
export { createTextRenderer } from './render-text.js'
export type { TextRendererOptions } from './render-text.js'
export type { Renderer } from './renderer.js'
export { complete } from './completer.js'
