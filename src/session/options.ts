/**
 * Options of a live session, resolved over named defaults and validated: a bad value is
 * a one-line `INVALID_OPTION` error before anything starts.
 */
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'
import type { GossipsubOpts } from '@libp2p/gossipsub'
import { DEFAULT_LOCAL_PORT } from '../discovery/local-anchor.js'
import { DEFAULT_LISTEN } from '../node/constants.js'
import type { RoomOptions } from '../room/index.js'
import type { ChatStore, RoomKeyStore } from '../store/index.js'
import type { Registry } from '../registry/index.js'
import { mergeOptions } from '../shared/index.js'
import { P2pchatError } from '../errors.js'

/** How long `/connect` waits (ms). */
export const CONNECT_TIMEOUT_MS = 5000

/** How long a `/peers` ping waits (ms). */
export const PING_TIMEOUT_MS = 1500

/** `/rekey` waits at most this long (ms) for the new invite to reach a peer of the old room before switching. */
export const REKEY_DRAIN_MS = 3000

/** Options of a session. */
export interface SessionOptions {
  /** The room name (`--topic`). @default 'lobby' */
  topic: string
  /** Own nick. @default 'anon' */
  nick: string
  /** Multiaddrs to listen on. @default ['/ip4/127.0.0.1/tcp/0'] */
  listen: string[]
  /** Peers to dial at start and keep dialing while alone. @default [] */
  bootstrap: string[]
  /** mDNS LAN discovery. @default false */
  mdns: boolean
  /** Join the public IPFS DHT and allow public addresses. @default false */
  public: boolean
  /** With `public`: serve as a circuit relay for others. @default false */
  relay: boolean
  /** With `public`: UPnP / NAT-PMP port mapping. @default false */
  upnp: boolean
  /** The well-known local port for zero-flag local discovery; 0 disables it. @default 47474 */
  localPort: number
  /** Identity; a fresh Ed25519 key when absent. */
  privateKey?: PrivateKey
  /** Persistent datastore for libp2p (peer store, DHT); in memory when absent. */
  datastore?: Datastore
  /** Where the data directory lives, shown by `/id` (undefined: nothing on disk). */
  dataDir?: string
  /** Persistent history, restart state and nick; in memory only when absent. */
  store?: ChatStore
  /** A loaded room registry: `join` resolves room names through it and `rooms()` lists it. */
  registry?: Registry
  /** Start in this registry room instead of `topic`. */
  registryRoom?: string
  /** Start in this private room instead: an invite, or the name of a private room `roomKeys` holds. */
  join?: string
  /** With `join` naming a room: the passphrase its key is derived from (`P2PCHAT_PASSPHRASE`). */
  passphrase?: string
  /** The keys of the private rooms the profile holds; in memory when absent. */
  roomKeys?: RoomKeyStore
  /** Room tuning. */
  room: Partial<RoomOptions>
  /** Gossipsub overrides (the simulator's `--D`, `--heartbeat`, ...). @default {} */
  gossipsub: Partial<GossipsubOpts>
  /** One-line diagnostics (never stdout). */
  log: (line: string) => void
}

/** Defaults of SessionOptions. */
export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  topic: 'lobby',
  nick: 'anon',
  listen: DEFAULT_LISTEN,
  bootstrap: [],
  mdns: false,
  public: false,
  relay: false,
  upnp: false,
  localPort: DEFAULT_LOCAL_PORT,
  room: {},
  gossipsub: {},
  log: () => {}
}

function fail (message: string): never {
  throw new P2pchatError('INVALID_OPTION', message)
}

function strings (value: unknown): boolean {
  return Array.isArray(value) && value.every(v => typeof v === 'string')
}

/** Spreads `options` over `DEFAULT_SESSION_OPTIONS` and validates every field. */
export function resolveSessionOptions (options: Partial<SessionOptions> = {}): SessionOptions {
  const resolved = mergeOptions(DEFAULT_SESSION_OPTIONS, options)
  if (typeof resolved.topic !== 'string' || resolved.topic.length === 0) fail('topic must be a non-empty string')
  if (typeof resolved.nick !== 'string') fail('nick must be a string')
  if (!strings(resolved.listen)) fail('listen must be a list of multiaddrs')
  if (!strings(resolved.bootstrap)) fail('bootstrap must be a list of multiaddrs')
  for (const flag of ['mdns', 'public', 'relay', 'upnp'] as const) if (typeof resolved[flag] !== 'boolean') fail(`${flag} must be true or false`)
  if (!Number.isInteger(resolved.localPort) || resolved.localPort < 0 || resolved.localPort > 65535) fail(`localPort must be a port number 0-65535, got ${String(resolved.localPort)}`)
  if (typeof resolved.log !== 'function') fail('log must be a function')
  if (typeof resolved.room !== 'object' || resolved.room === null) fail('room must be an object of room options')
  return resolved
}
