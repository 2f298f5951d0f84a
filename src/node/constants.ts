/**
 * Named defaults for the libp2p node, each with the reason it has this value.
 */

/** Listen on loopback only, on an OS-assigned port: nothing is exposed unless the user asks (`--listen`). */
export const DEFAULT_LISTEN = ['/ip4/127.0.0.1/tcp/0']

/**
 * Our own Kademlia protocol id. A private DHT among p2pchat peers: other libp2p
 * apps on the machine or LAN neither answer nor pollute it. `--public` adds the
 * public IPFS DHT (`/ipfs/kad/1.0.0`) beside it.
 */
export const CHAT_DHT_PROTOCOL = '/p2pchat/kad/1.0.0'

/** The public IPFS ("Amino") DHT protocol, used only with `--public`. */
export const PUBLIC_DHT_PROTOCOL = '/ipfs/kad/1.0.0'

/**
 * Largest gossipsub RPC frame we read. One chat message is at most 64 KiB
 * (wire/limits.ts); an RPC may batch a few plus control messages.
 */
export const GOSSIP_MAX_INBOUND_BYTES = 256 * 1024

/**
 * Finite decode limits for gossipsub RPCs (the library's defaults allow
 * 5,000 of each). A chat peer never needs more than these in one RPC.
 */
export const GOSSIP_DECODE_LIMITS = {
  maxSubscriptions: 256,
  maxMessages: 64,
  maxIhaveMessageIDs: 1000,
  maxIwantMessageIDs: 1000,
  maxIdontwantMessageIDs: 512,
  maxControlMessages: 128,
  maxPeerInfos: 16
}

/**
 * Loopback addresses are whitelisted from gossipsub's IP-colocation penalty:
 * a dozen terminals on one machine all share 127.0.0.1, and the default
 * penalty (threshold 10) would push them below the graylist threshold.
 * LAN and public addresses keep the penalty (it defends against sybils).
 */
export const COLOCATION_WHITELIST = ['127.0.0.1', '::1']

/** How long provider records we store for others stay valid (s). Short, because chat peers come and go. */
export const PROVIDER_RECORD_TTL_S = 10 * 60

/**
 * Smallest message for which gossipsub sends IDONTWANT to its mesh. IDONTWANT (gossipsub v1.2)
 * saves bandwidth for large messages on slow links; a chat line with our overhead is ~0.8–1 KB,
 * and below 16 KiB the control frames to every mesh peer cost more than the copies they might
 * save (measured: with the library's 512 B every received chat copy triggered IDONTWANTs, and
 * 100 nodes on 2 cores delivered 79 % instead of 100 %; BENCHMARKS.md, "Live 100 nodes").
 */
export const IDONTWANT_MIN_BYTES = 16 * 1024

/**
 * How often libp2p's connection monitor pings each connection (ms); a ping that fails aborts the
 * connection. The library's 10 s opens a stream with protocol negotiation on every connection
 * every 10 s, which on a machine hosting many local terminals fires as one burst. A minute was
 * too long for a connection whose far end died without its FIN reaching us (a relay behind a NAT
 * that dropped it) lingered past a minute, and a relayed chat with it; that is the likely (not
 * proven) cause of the namespace test "a relay that dies is replaced" failing once in seven CI
 * runs. 20 s bounds it to about half a minute, at one 32-byte ping per connection per 20 s.
 */
export const CONNECTION_PING_INTERVAL_MS = 20_000

/**
 * Ping streams at once on one connection, each way. Failure detection's probes, the pings a
 * helper makes for others, `/peers` and the connection monitor all use libp2p's ping protocol;
 * with the library's limit (1 outbound stream) a second ping of the same peer failed at once
 * ("too many outbound protocol streams"), which made live peers look unreachable.
 */
export const PING_STREAMS_PER_CONNECTION = 4

/**
 * How many relays a node behind a NAT keeps a reservation on (one `/p2p-circuit` listen entry
 * each). Two: when one relay dies, peers still reach us through the other while a new one is found.
 */
export const RELAY_RESERVATIONS = 2

/**
 * Limits of our own relay (`--relay`). Reservations: at most 32 peers at once, each for an hour
 * (renewed by the client). Each relayed connection: at most 10 minutes and 1 MiB per direction,
 * then the relay resets it and the peers redial. Public relays (go-libp2p, js-libp2p defaults) are
 * stricter, 2 minutes and 128 KiB, which a busy chat reaches about once a second (BENCHMARKS.md,
 * "Across the internet"); eight times the data makes those resets rarer for peers using us.
 */
export const RELAY_SERVER_LIMITS = {
  maxReservations: 32,
  reservationTtl: 60 * 60 * 1000,
  defaultDurationLimit: 10 * 60 * 1000,
  defaultDataLimit: BigInt(1 << 20)
}

/**
 * Gossipsub as RainTree's background path (`--paths raintree+gossipsub`): a mesh of 3 (2 to 4)
 * instead of gossipsub's 6 (4 to 12), and no flood publishing. RainTree brings each member about
 * one copy; the background path only has to cover members that do not forward. Measured at 12
 * live nodes (BENCHMARKS, RainTree): 3.6–3.9 copies a member a message instead of 7.6–8.5, and
 * 37–42 % fewer bytes than gossipsub alone.
 */
export const BACKGROUND_GOSSIPSUB = { D: 3, Dlo: 2, Dhi: 4, floodPublish: false } as const
