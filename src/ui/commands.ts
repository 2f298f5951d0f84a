/**
 * The command registry and the input parser. Every typed (or piped) line goes
 * through `parseInput`, which turns it into a chat line, a command with
 * checked arguments, a usage error, or an unknown command with a suggestion.
 * Parsing is pure: it never touches the session.
 */

import { editDistance } from './edit-distance.js'

/** One slash command, as `/help` lists it. */
export interface CommandSpec {
  /** Name without the slash, lowercase. */
  readonly name: string
  /** Other names for the same command. */
  readonly aliases: readonly string[]
  /** Argument usage, e.g. `<multiaddr>` or `[n]`; empty when none. */
  readonly args: string
  /** One-line description. */
  readonly description: string
}

/** Default and bounds of `/history [n]`. */
export const HISTORY_DEFAULT = 20
/** Largest `n` accepted by `/history`. */
export const HISTORY_MAX = 1000
/** How far back `/history` pages: `n + skip` at most. */
export const HISTORY_DEPTH_MAX = 100_000
/** Most matches `/lastlog` lists. */
export const LASTLOG_MAX = 100
/** Longest `/status <text>`, in characters, as the session accepts it. */
export const STATUS_TEXT_MAX = 100

/** Every command, in `/help` order. */
export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', aliases: [], args: '', description: 'show this list' },
  { name: 'connect', aliases: [], args: '<multiaddr>', description: 'dial a peer, e.g. /connect /ip4/192.0.2.7/tcp/4001/p2p/12D3…' },
  { name: 'peers', aliases: [], args: '', description: 'list connected peers with ping and topic membership' },
  { name: 'nick', aliases: [], args: '<name>', description: 'change your nick' },
  { name: 'me', aliases: [], args: '<action>', description: 'send an action, shown as "* nick action"' },
  { name: 'id', aliases: [], args: '', description: 'show your peer id and the addresses others can /connect to' },
  { name: 'status', aliases: [], args: '[text|-]', description: 'show delivery counters, or set your status text (- clears it)' },
  { name: 'away', aliases: [], args: '', description: 'toggle away (shown in /who)' },
  { name: 'rooms', aliases: [], args: '', description: 'list the rooms you can /join (* marks the current one)' },
  { name: 'join', aliases: [], args: '<name|topic>', description: 'switch to a registry room, or to any topic by name' },
  { name: 'leave', aliases: [], args: '', description: 'go back to the previous room' },
  { name: 'who', aliases: [], args: '', description: 'list who is in the room: status, last seen, direct connection' },
  { name: 'census', aliases: [], args: '', description: 'estimate the room size by a quick poll (takes a few seconds)' },
  { name: 'history', aliases: [], args: '[n] [skip]', description: `show n messages (default ${HISTORY_DEFAULT}, at most ${HISTORY_MAX}), ending skip messages back: page back with /history 20 20, /history 20 40…` },
  { name: 'lastlog', aliases: [], args: '<text>', description: `list the stored messages containing text (any case; the last ${LASTLOG_MAX} matches)` },
  { name: 'clear', aliases: [], args: '', description: 'clear the screen' },
  { name: 'quit', aliases: ['exit'], args: '', description: 'leave the room and exit' }
]

/** What one input line means. */
export type ParsedInput =
  | { type: 'empty' }
  | { type: 'say', text: string }
  | { type: 'me', text: string }
  | { type: 'help' }
  | { type: 'connect', multiaddr: string }
  | { type: 'peers' }
  | { type: 'nick', nick: string }
  | { type: 'id' }
  | { type: 'status' }
  /** `/status <text>`: set the presence status text; `''` clears it (`/status -`, `/status clear`). */
  | { type: 'status-set', text: string }
  | { type: 'away' }
  | { type: 'rooms' }
  | { type: 'join', room: string }
  | { type: 'leave' }
  | { type: 'who' }
  | { type: 'census' }
  /** `/history [n] [skip]`: `limit` messages ending `skip` messages before the newest. */
  | { type: 'history', limit: number, skip: number }
  /** `/lastlog <text>`: stored messages containing `text`, case-insensitive. */
  | { type: 'lastlog', text: string }
  | { type: 'clear' }
  | { type: 'quit' }
  /** A known command with missing or invalid arguments; `message` is a one-line usage. */
  | { type: 'error', message: string }
  /** An unknown command; `hint` is a full sentence suggesting the closest one. */
  | { type: 'unknown', name: string, hint: string }

/** `usage: /name args` for a command. */
export function usage (spec: CommandSpec): string {
  return spec.args === '' ? `usage: /${spec.name}` : `usage: /${spec.name} ${spec.args}`
}

/** The spec named `name` (case-insensitive, aliases included), if any. */
export function findCommand (name: string): CommandSpec | undefined {
  const lower = name.toLowerCase()
  return COMMANDS.find(c => c.name === lower || c.aliases.includes(lower))
}

/** Every command name and alias with its slash, for completion. */
export function commandNames (): string[] {
  return COMMANDS.flatMap(c => [c.name, ...c.aliases]).map(n => `/${n}`)
}

/** Names other chat programs use (IRC mostly), suggested as the command that does the same here. */
const FOREIGN_NAMES: Readonly<Record<string, string>> = {
  part: 'leave',
  names: 'who',
  whois: 'who',
  list: 'rooms',
  channels: 'rooms',
  back: 'away'
}

/** The command the user most likely meant by `name`, or undefined when nothing is close. */
export function closestCommand (name: string): string | undefined {
  const lower = name.toLowerCase()
  if (Object.hasOwn(FOREIGN_NAMES, lower)) return FOREIGN_NAMES[lower]
  const names = COMMANDS.flatMap(c => [c.name, ...c.aliases])
  if (lower.length >= 2) {
    const prefixed = names.filter(n => n.startsWith(lower)).sort((a, b) => a.length - b.length)
    if (prefixed.length > 0) return prefixed[0]
  }
  let best: string | undefined
  let bestDistance = Infinity
  for (const n of names) {
    const d = editDistance(lower, n)
    if (d < bestDistance) { best = n; bestDistance = d }
  }
  const allowed = lower.length <= 3 ? 1 : 2
  return bestDistance <= allowed ? best : undefined
}

function unknown (name: string): ParsedInput {
  const guess = closestCommand(name)
  const hint = guess === undefined
    ? `unknown command /${name}. Type /help for the list.`
    : `unknown command /${name} — did you mean /${guess}? Type /help for the list.`
  return { type: 'unknown', name, hint }
}

function parseHistory (spec: CommandSpec, arg: string): ParsedInput {
  const words = arg === '' ? [] : arg.split(/\s+/)
  const bad = { type: 'error', message: `${usage(spec)}: n is 1 to ${HISTORY_MAX} messages, skip how many of the newest to pass over (e.g. /history 20 40)` } as const
  if (words.length > 2 || words.some(w => !/^\d+$/.test(w))) return bad
  const limit = words.length > 0 ? Number(words[0]) : HISTORY_DEFAULT
  const skip = words.length > 1 ? Number(words[1]) : 0
  if (limit < 1 || limit > HISTORY_MAX || limit + skip > HISTORY_DEPTH_MAX) return bad
  return { type: 'history', limit, skip }
}

/** `/status`: no argument shows the counters; `-` or `clear` clears the status text; other text sets it. */
function parseStatus (spec: CommandSpec, arg: string): ParsedInput {
  if (arg === '') return { type: 'status' }
  if (arg === '-' || arg.toLowerCase() === 'clear') return { type: 'status-set', text: '' }
  if ([...arg].length > STATUS_TEXT_MAX) return { type: 'error', message: `${usage(spec)} (text at most ${STATUS_TEXT_MAX} characters)` }
  return { type: 'status-set', text: arg }
}

function parseCommand (spec: CommandSpec, arg: string): ParsedInput {
  switch (spec.name) {
    case 'connect':
      if (arg === '') return { type: 'error', message: `${usage(spec)}: give a peer's address, e.g. /connect /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…` }
      if (/\s/.test(arg)) return { type: 'error', message: `${usage(spec)}: one address, with no spaces in it` }
      return { type: 'connect', multiaddr: arg }
    case 'nick':
      if (arg === '') return { type: 'error', message: `${usage(spec)}: give the new nick, e.g. /nick alice` }
      if (/\s/.test(arg)) return { type: 'error', message: `a nick cannot contain spaces; try /nick ${arg.split(/\s+/).join('_')}` }
      return { type: 'nick', nick: arg }
    case 'lastlog': return arg === '' ? { type: 'error', message: `${usage(spec)}: give the text to look for, e.g. /lastlog deploy` } : { type: 'lastlog', text: arg }
    case 'me': return arg === '' ? { type: 'error', message: usage(spec) } : { type: 'me', text: arg }
    case 'history': return parseHistory(spec, arg)
    case 'status': return parseStatus(spec, arg)
    case 'join': return arg === '' ? { type: 'error', message: usage(spec) } : { type: 'join', room: arg }
  }
  if (arg !== '') return { type: 'error', message: usage(spec) }
  switch (spec.name) {
    case 'help': return { type: 'help' }
    case 'peers': return { type: 'peers' }
    case 'id': return { type: 'id' }
    case 'away': return { type: 'away' }
    case 'rooms': return { type: 'rooms' }
    case 'leave': return { type: 'leave' }
    case 'who': return { type: 'who' }
    case 'census': return { type: 'census' }
    case 'clear': return { type: 'clear' }
    case 'quit': return { type: 'quit' }
    default: return unknown(spec.name)
  }
}

/**
 * Parses one input line. Text not starting with `/` is a chat line; `//text`
 * sends `/text`; blank lines are `empty`. Command names are case-insensitive;
 * arguments are trimmed.
 */
export function parseInput (line: string): ParsedInput {
  const trimmedEnd = line.replace(/\s+$/, '')
  if (trimmedEnd.trim() === '') return { type: 'empty' }
  if (!trimmedEnd.startsWith('/')) return { type: 'say', text: trimmedEnd }
  if (trimmedEnd.startsWith('//')) return { type: 'say', text: trimmedEnd.slice(1) }
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(trimmedEnd)
  const name = match?.[1] ?? ''
  const arg = match?.[2] ?? ''
  if (name === '') return { type: 'error', message: 'empty command: type /help for the list, or start with // to send a line beginning with /' }
  const spec = findCommand(name)
  return spec === undefined ? unknown(name) : parseCommand(spec, arg)
}
