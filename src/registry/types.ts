/**
 * The typed shape of a room registry, as returned by parsing and loading.
 */

/** One room listed in a registry. */
export interface RegistryRoom {
  /** Short name, unique in the registry, without whitespace (`/join <name>`). */
  name: string
  /** One-line description; `''` when the registry gives none. */
  desc: string
  /** A page about the room, if any. */
  url?: string
  /** The DHT rendezvous string and gossipsub topic of the room. */
  rendezvous: string
  /** libp2p peer ids the room trusts, in canonical (base58btc) form. */
  trustedPeers: string[]
  /**
   * A private room: only holders of its invite can find or read it (its topic and rendezvous come
   * from the invite's key; `rendezvous` then only names it in the registry).
   */
  private?: true
}

/** A parsed and validated registry. */
export interface Registry {
  /** When the registry was written, unix seconds. */
  created: number
  /** Where humans can read about the registry, if given. */
  url?: string
  /** The rooms, in file order. */
  rooms: RegistryRoom[]
}

/** Something odd but harmless in a registry, e.g. an unknown key. */
export interface RegistryWarning {
  /** 1-based line, or 0 when there is no position. */
  line: number
  /** 1-based column, or 0 when there is no position. */
  column: number
  /** What is odd, without the position prefix. */
  message: string
  /** `source:line:column: message`, ready to print. */
  text: string
}

/** A registry plus the warnings found while validating it. */
export interface ParsedRegistry {
  registry: Registry
  warnings: RegistryWarning[]
}

/** Where a loaded registry came from. */
export type RegistrySourceInfo =
  | { kind: 'file', path: string }
  | { kind: 'url', url: string }
  | { kind: 'cid', cid: string, via: 'api' | 'gateway', url: string }

/** The result of `loadRegistry`. */
export interface LoadedRegistry extends ParsedRegistry {
  source: RegistrySourceInfo
  /** How many bytes were read. */
  bytes: number
}
