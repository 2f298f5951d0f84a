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
/** Longest `/title <text>`, in UTF-16 code units, as the committee accepts it (the governance codec's MAX_TITLE_LENGTH). */
export const TITLE_MAX = 200
/** Longest `/ban` reason, in UTF-16 code units, as the committee accepts it (the governance codec's MAX_BAN_REASON_LENGTH). */
export const BAN_REASON_MAX = 200

/** Every command, in `/help` order. */
export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', aliases: [], args: '', description: 'show this list' },
  { name: 'connect', aliases: [], args: '<multiaddr>', description: 'dial a peer, e.g. /connect /ip4/192.0.2.7/tcp/4001/p2p/12D3…' },
  { name: 'peers', aliases: [], args: '', description: 'list connected peers with ping and topic membership' },
  { name: 'nick', aliases: [], args: '<name>', description: 'change your nick' },
  { name: 'me', aliases: [], args: '<action>', description: 'send an action, shown as "* nick action"' },
  { name: 'msg', aliases: [], args: '<nick|peer id> <text>', description: 'send a direct message to one peer, end to end (not to the room)' },
  { name: 'query', aliases: [], args: '<nick|peer id>', description: 'talk to one peer: your lines and /me go to them as direct messages until /back' },
  { name: 'back', aliases: [], args: '', description: 'leave /query: your lines go to the room again' },
  { name: 'dms', aliases: [], args: '', description: 'list your direct conversations: last message, and how many of yours are pending' },
  { name: 'ignore', aliases: [], args: '[nick|peer id]', description: "hide a peer's room lines and direct messages; with no name, list the peers you ignore" },
  { name: 'unignore', aliases: [], args: '<nick|peer id>', description: 'show an ignored peer again' },
  { name: 'id', aliases: [], args: '', description: 'show your peer id and the addresses others can /connect to' },
  { name: 'status', aliases: [], args: '[text|-]', description: 'show delivery counters, or set your status text (- clears it)' },
  { name: 'away', aliases: [], args: '', description: 'toggle away (shown in /who)' },
  { name: 'rooms', aliases: [], args: '', description: 'list the rooms you can /join (* marks the current one; private rooms are marked)' },
  { name: 'join', aliases: [], args: '<name|topic|invite>', description: 'switch to a registry room, to a private room by its invite (p2pchat:room/…), or to any topic by name' },
  { name: 'leave', aliases: [], args: '', description: 'go back to the previous room' },
  { name: 'invite', aliases: [], args: '', description: 'print the invite of this private room: whoever holds it can find and read the room, its history too' },
  { name: 'create', aliases: [], args: '<name>', description: 'make a new private room with a random key, switch to it and print its invite' },
  { name: 'rekey', aliases: [], args: '', description: 'move this private room to a new key (a new invite); its members are told the new invite, old history stays readable' },
  { name: 'who', aliases: [], args: '', description: 'list who is in the room: status, last seen, direct connection' },
  { name: 'census', aliases: [], args: '', description: 'estimate the room size by a quick poll (takes a few seconds)' },
  { name: 'history', aliases: [], args: '[n] [skip]', description: `show n messages (default ${HISTORY_DEFAULT}, at most ${HISTORY_MAX}), ending skip messages back: page back with /history 20 20, /history 20 40…` },
  { name: 'lastlog', aliases: [], args: '<text>', description: `list the stored messages containing text, each after its id for /pin (any case; the last ${LASTLOG_MAX} matches)` },
  { name: 'committee', aliases: [], args: '', description: 'show the room committee: members, leader, title, pins, bans, and how far the order is final' },
  { name: 'title', aliases: [], args: '<text|->', description: 'ask the committee to set the room title (- clears it; trusted peers only)' },
  { name: 'pins', aliases: [], args: '', description: 'list the pinned messages with their ids' },
  { name: 'pin', aliases: [], args: '<id|nick>', description: 'ask the committee to pin a message: 4+ hex characters of its id (/lastlog shows ids), or a nick for its last line (trusted peers only)' },
  { name: 'unpin', aliases: [], args: '<id|nick>', description: 'ask the committee to unpin a message (/pins shows the ids; trusted peers only)' },
  { name: 'ban', aliases: [], args: '<nick|peer id> [reason]', description: 'ask the committee to ban a peer: every peer then refuses its messages (trusted peers only)' },
  { name: 'unban', aliases: [], args: '<nick|peer id>', description: 'ask the committee to lift a ban (trusted peers only)' },
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
  /** `/msg <nick|peer id> <text>`: `target` as typed, resolved to a peer id when dispatched. */
  | { type: 'msg', target: string, text: string }
  /** `/query <nick|peer id>`: open the DM view of that peer. */
  | { type: 'query', target: string }
  /** `/back`: close the DM view. */
  | { type: 'back' }
  | { type: 'dms' }
  /** `/ignore <nick|peer id>`, `/unignore <nick|peer id>`. */
  | { type: 'ignore' | 'unignore', target: string }
  /** `/ignore` alone: list the ignored peers. */
  | { type: 'ignored' }
  | { type: 'id' }
  | { type: 'status' }
  /** `/status <text>`: set the presence status text; `''` clears it (`/status -`, `/status clear`). */
  | { type: 'status-set', text: string }
  | { type: 'away' }
  | { type: 'rooms' }
  /** `/join <name|topic|invite>`: `room` exactly as typed (an invite keeps its `:`, `/` and `#`). */
  | { type: 'join', room: string }
  | { type: 'leave' }
  /** `/invite`: print the active private room's invite. */
  | { type: 'invite' }
  /** `/rekey`: move the active private room to a new key. */
  | { type: 'rekey' }
  /** `/create <name>`: make a new private room and switch to it. */
  | { type: 'create', name: string }
  | { type: 'who' }
  | { type: 'census' }
  /** `/history [n] [skip]`: `limit` messages ending `skip` messages before the newest. */
  | { type: 'history', limit: number, skip: number }
  /** `/lastlog <text>`: stored messages containing `text`, case-insensitive. */
  | { type: 'lastlog', text: string }
  | { type: 'committee' }
  /** `/title <text>`: ask the committee to set the room title; `''` clears it (`/title -`). */
  | { type: 'title', text: string }
  | { type: 'pins' }
  /** `/pin <id|nick>` and `/unpin <id|nick>`: `target` as typed, resolved to a message id when dispatched. */
  | { type: 'pin' | 'unpin', target: string }
  /** `/ban <nick|peer id> [reason]`: `target` as typed, resolved to a peer id when dispatched. */
  | { type: 'ban', target: string, reason: string }
  /** `/unban <nick|peer id>`. */
  | { type: 'unban', target: string }
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
  topic: 'title',
  privmsg: 'msg',
  tell: 'msg',
  whisper: 'msg',
  dm: 'msg',
  unquery: 'back',
  silence: 'ignore'
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

/** `/title`: the text, `-` (or `clear`) to clear it; at most `TITLE_MAX` code units. */
function parseTitle (spec: CommandSpec, arg: string): ParsedInput {
  if (arg === '') return { type: 'error', message: `${usage(spec)}: give the title, e.g. /title Release planning (/title - clears it)` }
  if (arg === '-' || arg.toLowerCase() === 'clear') return { type: 'title', text: '' }
  if (arg.length > TITLE_MAX) return { type: 'error', message: `${usage(spec)} (a title is at most ${TITLE_MAX} characters)` }
  return { type: 'title', text: arg }
}

/** `/ban <nick|peer id> [reason]`: the first word names the peer, the rest is the reason. */
function parseBan (spec: CommandSpec, arg: string): ParsedInput {
  if (arg === '') return { type: 'error', message: `${usage(spec)}: name the peer, e.g. /ban bob flooding the room` }
  const target = arg.split(/\s/, 1)[0]
  const reason = arg.slice(target.length).trim()
  if (reason.length > BAN_REASON_MAX) return { type: 'error', message: `${usage(spec)} (a reason is at most ${BAN_REASON_MAX} characters)` }
  return { type: 'ban', target, reason }
}

/** A command whose one argument is a single word (`/unban`, `/pin`, `/unpin`); `hint` says what to give. */
function oneWord (spec: CommandSpec, arg: string, hint: string): string | { type: 'error', message: string } {
  if (arg === '') return { type: 'error', message: `${usage(spec)}: ${hint}` }
  if (/\s/.test(arg)) return { type: 'error', message: `${usage(spec)}: one ${spec.args.slice(1, -1).replace('|', ' or ')}, with no spaces in it` }
  return arg
}

function parseGovernance (spec: CommandSpec, arg: string): ParsedInput | undefined {
  switch (spec.name) {
    case 'title': return parseTitle(spec, arg)
    case 'ban': return parseBan(spec, arg)
    case 'unban': {
      const target = oneWord(spec, arg, 'name the peer, e.g. /unban bob')
      return typeof target === 'string' ? { type: 'unban', target } : target
    }
    case 'pin':
    case 'unpin': {
      const target = oneWord(spec, arg, `give 4 or more hex characters of the message id (${spec.name === 'pin' ? '/lastlog' : '/pins'} shows ids), or a nick for its last ${spec.name === 'pin' ? 'line' : 'pinned line'}`)
      return typeof target === 'string' ? { type: spec.name, target } : target
    }
    default: return undefined
  }
}

/** `/msg`, `/query`, `/ignore`, `/unignore`: the direct-message commands that take a peer. */
function parseDirect (spec: CommandSpec, arg: string): ParsedInput | undefined {
  switch (spec.name) {
    case 'msg': {
      const target = arg.split(/\s/, 1)[0]
      const text = arg.slice(target.length).replace(/^\s+/, '')
      if (target === '' || text === '') return { type: 'error', message: `${usage(spec)}: name the peer, then the text, e.g. /msg bob are you there?` }
      return { type: 'msg', target, text }
    }
    case 'query': {
      const target = oneWord(spec, arg, 'name the peer, e.g. /query bob (/back returns to the room)')
      return typeof target === 'string' ? { type: 'query', target } : target
    }
    case 'ignore': {
      if (arg === '') return { type: 'ignored' }
      const target = oneWord(spec, arg, '')
      return typeof target === 'string' ? { type: 'ignore', target } : target
    }
    case 'unignore': {
      const target = oneWord(spec, arg, 'name the peer, e.g. /unignore bob (/ignore lists them)')
      return typeof target === 'string' ? { type: 'unignore', target } : target
    }
    default: return undefined
  }
}

function parseCommand (spec: CommandSpec, arg: string): ParsedInput {
  const special = parseGovernance(spec, arg) ?? parseDirect(spec, arg)
  if (special !== undefined) return special
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
    case 'invite': return arg === '' ? { type: 'invite' } : { type: 'error', message: `${usage(spec)}: it takes nothing after it; it prints this room's invite for you to give, e.g. with /msg ${arg.split(/\s/, 1)[0]} <invite> (end to end)` }
    case 'create': return arg === '' || /\s/.test(arg) ? { type: 'error', message: `${usage(spec)}: one name without spaces, e.g. /create team` } : { type: 'create', name: arg }
    case 'rekey': return arg === '' ? { type: 'rekey' } : { type: 'error', message: `${usage(spec)}: it takes nothing after it; it moves the room you are in to a new key` }
  }
  if (arg !== '') return { type: 'error', message: usage(spec) }
  switch (spec.name) {
    case 'help': return { type: 'help' }
    case 'peers': return { type: 'peers' }
    case 'id': return { type: 'id' }
    case 'back': return { type: 'back' }
    case 'dms': return { type: 'dms' }
    case 'away': return { type: 'away' }
    case 'rooms': return { type: 'rooms' }
    case 'leave': return { type: 'leave' }
    case 'who': return { type: 'who' }
    case 'census': return { type: 'census' }
    case 'committee': return { type: 'committee' }
    case 'pins': return { type: 'pins' }
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
