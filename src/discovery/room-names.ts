/**
 * How a user-facing room name (`--topic x`) maps to the strings on the wire:
 * the rendezvous string that is hashed into the DHT CID, and the gossipsub
 * topic. Both are `p2pchat/<name>`, so a compatible peer needs only the name.
 */

/** Prefix that keeps p2pchat rendezvous and topics apart from other apps'. */
export const ROOM_PREFIX = 'p2pchat/'

/** Longest room name accepted. */
export const MAX_ROOM_NAME_LENGTH = 200

/** The strings a room is known by on the network. */
export interface RoomNames {
  /** What the user typed. */
  name: string
  /** The DHT rendezvous namespace. */
  rendezvous: string
  /** The gossipsub topic. */
  topic: string
  /** A private room's key (its topic and rendezvous are derived from it). */
  key?: Uint8Array
}

/** Names for a `--topic` room. A registry room (later) supplies its own rendezvous. */
export function roomNames (name: string, rendezvous: string = ROOM_PREFIX + name): RoomNames {
  return { name, rendezvous, topic: rendezvous }
}
