/**
 * Flag value parsers for commander: each returns the parsed value or throws
 * commander's InvalidArgumentError with a one-line reason.
 */

import { isInvite, parseInvite } from '../private/index.js'
import { closeSync, openSync } from 'node:fs'
import { InvalidArgumentError } from 'commander'
import { parseDialMultiaddr, parseListenMultiaddr } from '../discovery/parse-multiaddr.js'
import { MAX_ROOM_NAME_LENGTH } from '../discovery/room-names.js'
// Leaf modules only: the CLI parses flags (and answers --help) without loading libp2p or protobufjs.
import { MAX_NICK_LENGTH } from '../wire/limits.js'
import { DEFAULT_CHANNEL_OPTIONS, resolveChannelOptions, type ChannelOptions } from '../reliability/index.js'
import { DEFAULT_PRESENCE_OPTIONS, type PresenceOptions } from '../presence/constants.js'
import { resolvePresenceOptions } from '../presence/options.js'
import { DEFAULT_CONSENSUS_OPTIONS, resolveConsensusOptions, type ConsensusOptions } from '../consensus/index.js'
import { DEFAULT_DECISION_TIMING, type DecisionTiming } from '../room/decisions.js'
import { resolveDriverOptions } from '../room/driver-options.js'

function reason (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Why a file could not be opened, in our words (Node's text names the syscall and errno). */
function fileReason (err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOENT': return 'no such file or directory'
    case 'EACCES': case 'EPERM': return 'permission denied'
    case 'EISDIR': return 'it is a directory'
    case 'ENOTDIR': return 'a part of the path is not a directory'
    case 'EROFS': return 'the file system is read-only'
    default: return code !== undefined ? `the system refused it (${code})` : reason(err)
  }
}

/** Splits an env value like "a,b c" into items; flags arrive one by one. */
function items (value: string): string[] {
  return value.split(/[\s,]+/).filter(s => s.length > 0)
}

/** A TCP port, 0-65535. */
export function parsePort (value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`port must be a whole number from 0 to 65535, got "${value}"`)
  }
  return n
}

/** A room name: 1-200 characters, no control characters. */
export function parseTopic (value: string): string {
  if (value.length === 0 || value.length > MAX_ROOM_NAME_LENGTH || /\p{Cc}/u.test(value)) {
    throw new InvalidArgumentError(`topic must be 1-${MAX_ROOM_NAME_LENGTH} printable characters`)
  }
  return value
}

/** A nick: 1-32 printable characters without spaces. */
export function parseNick (value: string): string {
  if (value.length === 0 || value.length > MAX_NICK_LENGTH || /[\s\p{Cc}]/u.test(value)) {
    throw new InvalidArgumentError(`nick must be 1-${MAX_NICK_LENGTH} printable characters without spaces`)
  }
  return value
}

/** Accumulates validated listen multiaddrs (variadic flag or env list). */
export function parseListen (value: string, previous: string[] = []): string[] {
  const out = [...previous]
  for (const item of items(value)) {
    try { out.push(parseListenMultiaddr(item).toString()) } catch (err) { throw new InvalidArgumentError(reason(err)) }
  }
  return out
}

/** Accumulates validated bootstrap multiaddrs. */
export function parseBootstrap (value: string, previous: string[] = []): string[] {
  const out = [...previous]
  for (const item of items(value)) {
    try { out.push(parseDialMultiaddr(item).toString()) } catch (err) { throw new InvalidArgumentError(reason(err)) }
  }
  return out
}

/** A log file we can append to. */
export function parseLogFile (value: string): string {
  try {
    closeSync(openSync(value, 'a'))
  } catch (err) {
    throw new InvalidArgumentError(`cannot write the log file ${value}: ${fileReason(err)}`)
  }
  return value
}

/** An http(s) URL (the IPFS API or a gateway). */
export function parseHttpUrl (value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL; give e.g. http://127.0.0.1:5001`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`"${value}" must be an http:// or https:// URL`)
  return value.replace(/\/+$/, '')
}

/** A non-empty registry source string (file, URL or CID; checked when loaded). */
export function parseRegistrySource (value: string): string {
  if (value.trim().length === 0) throw new InvalidArgumentError('registry source must not be empty')
  return value.trim()
}

/** A registry room name. */
export function parseRoomName (value: string): string {
  if (value.length === 0 || value.length > 100 || /[\s\p{Cc}]/u.test(value)) {
    throw new InvalidArgumentError('room must be 1-100 characters without spaces')
  }
  return value
}

/** `--paths`: which broadcast paths rooms publish on. */
export function parsePaths (value: string): 'gossipsub' | 'raintree+gossipsub' | 'raintree' {
  const paths = ['gossipsub', 'raintree+gossipsub', 'raintree'] as const
  const found = paths.find(p => p === value.trim().toLowerCase())
  if (found === undefined) throw new InvalidArgumentError(`give gossipsub, raintree+gossipsub or raintree, not "${value.slice(0, 40)}"`)
  return found
}

/** `--join`: an invite (checked here, so a damaged one fails before anything starts) or a private room's name. */
export function parseJoin (value: string): string {
  const text = value.trim()
  if (isInvite(text)) {
    const parsed = parseInvite(text)
    if (!parsed.ok) throw new InvalidArgumentError(`not a valid invite: ${parsed.detail}`)
    return text
  }
  if (text.length === 0 || text.length > 100 || /[\s\p{Cc}]/u.test(text)) {
    throw new InvalidArgumentError('give an invite (p2pchat:room/<name>#<key>) or the name of a private room this profile holds')
  }
  return text
}

/**
 * A parser for `key=value,...` tuning flags over a defaults object: numeric and boolean
 * keys of `defaults` only, checked as a whole by `validate` (which throws on nonsense).
 */
function tuningParser<T extends object> (defaults: Readonly<T>, validate: (value: Partial<T>) => unknown): (value: string, previous?: Partial<T>) => Partial<T> {
  const table = defaults as unknown as Record<string, unknown>
  const keys = Object.keys(table).filter(k => typeof table[k] === 'number' || typeof table[k] === 'boolean')
  return (value, previous = {}) => {
    const out: Record<string, unknown> = { ...previous }
    for (const pair of value.split(/[\s,]+/).filter(p => p.length > 0)) {
      const [key, raw] = pair.split('=')
      if (key === undefined || raw === undefined || !keys.includes(key)) {
        throw new InvalidArgumentError(`"${pair}" is not key=value with a known key (${keys.join(', ')})`)
      }
      if (typeof table[key] === 'boolean') {
        if (raw !== 'true' && raw !== 'false') throw new InvalidArgumentError(`${key} must be true or false`)
        out[key] = raw === 'true'
      } else {
        const n = Number(raw)
        if (raw.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${key} must be a number, got "${raw}"`)
        out[key] = n
      }
    }
    try {
      validate(out as Partial<T>)
    } catch (err) {
      throw new InvalidArgumentError(reason(err))
    }
    return out as Partial<T>
  }
}

/** The keys `--committee` tunes: the decisions' timing, and the members' Raft timers. */
export type CommitteeTuning = DecisionTiming & Pick<ConsensusOptions, 'electionTimeoutMs' | 'heartbeatIntervalMs'>

const DEFAULT_COMMITTEE_TUNING: CommitteeTuning = {
  ...DEFAULT_DECISION_TIMING,
  electionTimeoutMs: DEFAULT_CONSENSUS_OPTIONS.electionTimeoutMs,
  heartbeatIntervalMs: DEFAULT_CONSENSUS_OPTIONS.heartbeatIntervalMs
}

/** Committee tuning, e.g. `checkpointIntervalMs=5000,finalityLagMs=2000`. */
export const parseCommittee = tuningParser<CommitteeTuning>(DEFAULT_COMMITTEE_TUNING, value => {
  const { electionTimeoutMs, heartbeatIntervalMs, ...timing } = value
  resolveConsensusOptions({ electionTimeoutMs, heartbeatIntervalMs })
  resolveDriverOptions({ decisions: { ...DEFAULT_DECISION_TIMING, ...timing } })
})

/** Reliability tuning, e.g. `resendBaseMs=500,lostAfterMs=60000`. */
export const parseReliability = tuningParser<ChannelOptions>(DEFAULT_CHANNEL_OPTIONS, resolveChannelOptions)

/** Presence and census tuning, e.g. `basePeriodMs=10000,censusTargetReplies=200`. */
export const parsePresence = tuningParser<PresenceOptions>(DEFAULT_PRESENCE_OPTIONS, resolvePresenceOptions)

/** A profile name: 1-64 of [A-Za-z0-9._-], starting with a letter or digit. */
export function parseProfile (value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
    throw new InvalidArgumentError('profile must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  }
  return value
}

/** A readable file path. */
export function parseReadableFile (value: string): string {
  try {
    closeSync(openSync(value, 'r'))
  } catch (err) {
    throw new InvalidArgumentError(`cannot read ${value}: ${fileReason(err)}`)
  }
  return value
}
