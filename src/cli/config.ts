/**
 * The one typed configuration the CLI builds from flags, environment variables
 * and defaults (precedence: flag > env > default).
 */

import type { ChannelOptions } from '../reliability/index.js'
import type { PresenceOptions } from '../presence/index.js'
import type { CommitteeTuning } from './validate.js'
import type { SimConfig } from '../sim/config.js'

/** Everything the chat command needs to run. */
export interface Config {
  topic: string
  nick: string
  listen: string[]
  bootstrap: string[]
  mdns: boolean
  public: boolean
  /** Serve as a circuit relay (`--relay`, with --public). */
  relay: boolean
  /** UPnP / NAT-PMP port mapping (`--upnp`, with --public). */
  upnp: boolean
  json: boolean
  /** False with --no-color (NO_COLOR, TERM=dumb and non-TTY output are checked by the UI). */
  color: boolean
  /** False with --no-bell: no terminal bell on a mention. */
  bell: boolean
  logFile?: string
  localPort: number
  /** Registry source: a file path, an http(s) URL or an IPFS CID. */
  registry?: string
  /** Registry room to start in. */
  room?: string
  /** The broadcast paths (`--paths`). */
  paths: 'gossipsub' | 'raintree+gossipsub' | 'raintree'
  /** Private room to start in: an invite, or the name of one the profile holds. */
  join?: string
  /** `P2PCHAT_PASSPHRASE` (environment only, never a flag: argv shows in the process list). */
  passphrase?: string
  /** IPFS HTTP API used to fetch a registry CID. */
  ipfsApi: string
  /** IPFS gateway used to fetch a registry CID (tried after the API). */
  ipfsGateway?: string
  /** Reliability tuning over the defaults. */
  reliability: Partial<ChannelOptions>
  /** Presence and census tuning over the defaults. */
  presence: Partial<PresenceOptions>
  /** Committee tuning (decisions' timing and Raft timers) over the defaults. */
  committee: Partial<CommitteeTuning>
  /** True when the nick came from the flag or the environment (else a stored nick wins). */
  nickExplicit: boolean
  /** Data directory (`--data-dir`); undefined = the platform default. */
  dataDir?: string
  /** Profile name. */
  profile: string
  /** True when the profile was named by flag or env (then "in use" is an error, not a fallback). */
  profileExplicit: boolean
  /** Keep nothing on disk. */
  ephemeral: boolean
  /** A key file to import. */
  keyFile?: string
  /** Move a damaged store aside before starting. */
  repair: boolean
}

/** What `p2pchat rooms` needs. */
export interface RoomsConfig {
  registry: string
  ipfsApi: string
  ipfsGateway?: string
  json: boolean
}

/** The parsed command line: which command to run, with its configuration. */
export type Invocation =
  | { command: 'chat', config: Config }
  | { command: 'rooms', config: RoomsConfig }
  | { command: 'sim', config: SimConfig }
