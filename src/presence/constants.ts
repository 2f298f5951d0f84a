/**
 * Options of the presence roster and room-size census, their defaults (each with
 * the reason it was chosen) and the hard limits of the `Ephemeral` wire messages.
 *
 * Bandwidth of the defaults (measured by test/unit/presence/bandwidth.test.ts; see
 * README.md in this folder for the table):
 * - A peer re-announces its record every `period`, drawn uniformly from
 *   [(1 − jitter)·period, period], so on average every 0.875·period.
 * - period = basePeriodMs · max(1, rosterSize / largeRoomThreshold): 30 s up to 50
 *   peers, then growing linearly with the room (60 s at 100, 10 min at 1,000).
 * - Every peer receives every announcement (gossipsub floods the topic), so a peer
 *   receives (n − 1) / (0.875·period) records: 2.3 per peer per minute in small
 *   rooms (20 per minute at 10 peers) and at most
 *   threshold · 60 s / (0.875 · base) ≈ 114 per minute however large the room grows.
 * - One record is ~110–250 bytes of `Ephemeral` (nick, status and client text
 *   dominate); the ChatMessage and gossipsub framing add ~230 bytes more.
 */
import { MAX_NICK_LENGTH, MAX_PEER_ID_BYTES } from '../wire/limits.js'

/** Tunables of a `Presence`. Durations are in ms. */
export interface PresenceOptions {
  /** Own nick announced in the record (≤ 32 chars). @default 'anon' */
  nick: string
  /** Client version string announced in the record (≤ 64 chars). @default 'p2pchat' */
  client: string
  /** Announce period of a room up to `largeRoomThreshold` peers. @default 30000 */
  basePeriodMs: number
  /** Roster size above which the period grows as base × size / threshold. @default 50 */
  largeRoomThreshold: number
  /** Longest announce period (the wire field is uint32 ms). @default 4294967295 */
  maxPeriodMs: number
  /** Relative jitter of the announce interval: drawn from [(1 − jitter)·period, period]. @default 0.25 */
  jitter: number
  /** A peer not heard for more than this multiple of the period it announced leaves the roster; also the record TTL. @default 3 */
  expiryMultiple: number
  /** Own changes (nick, status, away) are announced at once, but at most once per this interval. @default 2000 */
  minAnnounceIntervalMs: number
  /**
   * When a new peer appears, we re-announce within a random delay up to this (so the newcomer's
   * roster fills in seconds, not a period); above `largeRoomThreshold` only a random
   * threshold/size share of peers does, so a join costs about `largeRoomThreshold` records. @default 500
   */
  welcomeSpreadMs: number
  /** A welcome follows our last record by at least this (less than `minAnnounceIntervalMs`: a join is news). @default 250 */
  minWelcomeIntervalMs: number
  /** Tolerated clock difference: `issued_at` may lie this far in the future, and the TTL is extended by it. @default 60000 */
  maxClockSkewMs: number
  /** A leave whose `issued_at` is older than this (plus the skew) is expired. @default 300000 */
  leaveTtlMs: number
  /** Most peers in the roster (plus as many tombstones); new peers beyond it are dropped `roster-full`. @default 20000 */
  maxRosterSize: number
  /** Envelope ids remembered for dedup. @default 8192 */
  seenCapacity: number
  /** Presence records and leaves accepted per origin in a burst… @default 5 */
  presenceBurst: number
  /** …refilled one per this interval. @default 1000 */
  presenceRefillMs: number
  /** Replies a census aims for: p = target / (expected size − 1). @default 100 */
  censusTargetReplies: number
  /** Smallest reply probability a poll may ask for (polls below are ignored, `p-too-small`). @default 0.0001 */
  censusMinP: number
  /** How long our own census listens for replies before `tick` finishes it. @default 5000 */
  censusWindowMs: number
  /** A responder waits a random delay in [0, spread) before replying, so replies do not arrive as one burst. @default 1000 */
  censusReplySpreadMs: number
  /** Shortest interval between two own censuses (`startCensus` refuses earlier ones). @default 15000 */
  censusMinIntervalMs: number
  /** Polls accepted per origin: one per this interval; others are ignored (`rate-limited`). @default 10000 */
  pollRateLimitMs: number
  /** Polls accepted from all origins together in a burst… @default 3 */
  pollGlobalBurst: number
  /** …refilled one per this interval. @default 20000 */
  pollGlobalRefillMs: number
  /** How long a poll is remembered: its replies are accepted (and forwarded) and it is not answered twice. @default 15000 */
  pollLifetimeMs: number
  /** Flood guard: a responder lowers p to `censusReplyCap / its roster size` when that is smaller; relays forward at most twice this many replies per poll. @default 1000 */
  censusReplyCap: number
  /** Fraction of poll-or-reply deliveries assumed lost; the estimate is divided by (1 − it). @default 0 */
  censusAssumedLoss: number
  /** A census of another peer we overheard updates our size estimate when it drew at least this many replies. @default 10 */
  passiveMinReplies: number
  /** Most polls tracked at once (oldest forgotten first). @default 64 */
  maxTrackedPolls: number
  /** Source of randomness in [0, 1). @default a PRNG seeded from the self id and the first `now` */
  random: (() => number) | undefined
  /** Peer id string → multihash bytes (undefined when not a peer id). @default libp2p's `peerIdFromString(id).toMultihash().bytes`, memoised */
  peerIdToBytes: ((peerId: string) => Uint8Array | undefined) | undefined
  /** Multihash bytes → peer id string (undefined when not a peer id). @default libp2p's `peerIdFromMultihash`, memoised */
  peerIdFromBytes: ((bytes: Uint8Array) => string | undefined) | undefined
  /** True while we hold a connection to the peer (the host's view): a lost-peer claim about it is then ignored. @default never */
  connectedTo: ((peerId: string) => boolean) | undefined
  /** The probe period (SWIM): the driver's prober probes one neighbour per period; also the unit of the suspicion timer. @default 1000 */
  probeIntervalMs: number
  /** Shortest suspicion: suspicionMult × max(1, log10 n) probe periods (memberlist's LAN value). @default 4 */
  suspicionMult: number
  /** Longest suspicion (a lone suspecter's): this multiple of the shortest. @default 6 */
  suspicionMaxMult: number
  /** Independent suspecters after which the suspicion takes the shortest time (Lifeguard's K). @default 2 */
  suspicionConfirmations: number
  /** Our own suspicion is sent again this often until it ends. @default 2000 */
  suspectRepeatMs: number
  /** A peer that fell silent is suspected after a random delay up to this; another's suspicion first spares ours. @default 1000 */
  silentSuspectSpreadMs: number
  /** Suspicions accepted per origin in a burst… @default 10 */
  suspectBurst: number
  /** …refilled one per this interval; we send at most one per interval ourselves. @default 250 */
  suspectRefillMs: number
  /**
   * A peer heard from (a record) within this long is not dropped on another peer's lost-peer
   * claim (ms). Off by default: a live subject refutes a claim with a newer version at once, and
   * a re-announcement still in flight is no evidence (it carries the version the claim names). @default 0
   */
  lostGraceMs: number
}

/** The defaults. Each value's reason is next to it. */
export const DEFAULT_PRESENCE_OPTIONS: Readonly<PresenceOptions> = Object.freeze({
  // The room's default nick.
  nick: 'anon',
  client: 'p2pchat',
  // A crashed peer disappears within 90 s in a small room, at ~20 records/min (≈ 7 KB/min with framing) at 10 peers.
  basePeriodMs: 30_000,
  // Caps what each peer receives at ~114 records/min (~40 KB/min with framing) in any room size.
  largeRoomThreshold: 50,
  // No cap of our own: the bound on received traffic holds at every size. The price is
  // that a crashed peer lingers 3 periods (30 min at 1,000 peers); clean quits leave at once.
  maxPeriodMs: 0xffff_ffff,
  // Only downwards, so the announced `period_ms` is the longest gap between two records
  // and 3 periods tolerate two consecutive losses.
  jitter: 0.25,
  // Two lost records in a row do not expire a live peer; a third does.
  expiryMultiple: 3,
  // A burst of edits costs one record per 2 s; receivers allow 5 at once and 1/s, so an honest peer is never limited.
  minAnnounceIntervalMs: 2_000,
  // A join line should carry the newcomer's nick within a second of the peer count changing;
  // 0.5 s still spreads the welcomes of a small room (at most 50 peers send one).
  welcomeSpreadMs: 500,
  // Receivers allow a burst of 5 records: a newcomer meeting a few peers at once stays within it.
  minWelcomeIntervalMs: 250,
  // Laptops without NTP drift by seconds; 60 s tolerates that without extending replays by much.
  maxClockSkewMs: 60_000,
  // A leave only matters while records older than it may still arrive: a few periods.
  leaveTtlMs: 5 * 60_000,
  // ~300 B per entry: 6 MB at the cap, far above any gossipsub room.
  maxRosterSize: 20_000,
  // Several periods of a 1,000-peer room's records.
  seenCapacity: 8_192,
  presenceBurst: 5,
  presenceRefillMs: 1_000,
  // Relative standard error ≈ √((1 − p) / T) ≤ 1/√T = 10 %: ±20 % is 2 standard errors, so
  // ≈ 95 % of censuses are within ±20 % (T = 50 gives only 84 %, T = 68 exactly 90 %).
  censusTargetReplies: 100,
  // p = 1e-4 still draws 100 replies at a million peers; smaller asks are nonsense or abuse.
  censusMinP: 1e-4,
  // Reply spread (1 s) + gossip propagation (< 1 s) + margin.
  censusWindowMs: 5_000,
  censusReplySpreadMs: 1_000,
  // 1.5 × the receivers' limit, so arrival jitter never makes our second poll look too early.
  censusMinIntervalMs: 15_000,
  pollRateLimitMs: 10_000,
  // From everyone together: 3 at once, then one per 20 s. /census is a rare, manual command;
  // this bounds what every peer receives to 3 polls (~300 honest replies, ≤ 3,000 with the
  // flood guard) per minute, about 3× the presence traffic, whoever is polling.
  pollGlobalBurst: 3,
  pollGlobalRefillMs: 20_000,
  // Window (5 s) × 3: late replies are still forwarded to the origin.
  pollLifetimeMs: 15_000,
  // 10 × the target: never reached by an honest poll, bounds a poll with p = 1 in a huge room.
  censusReplyCap: 1_000,
  // No correction by default: the bias under loss is documented, not hidden.
  censusAssumedLoss: 0,
  passiveMinReplies: 10,
  maxTrackedPolls: 64,
  random: undefined,
  peerIdToBytes: undefined,
  peerIdFromBytes: undefined,
  connectedTo: undefined,
  lostGraceMs: 0,
  // hashicorp/memberlist's LAN configuration: probe every 1 s, suspicion 4 × log10(n) periods,
  // a lone suspecter's 6 × that, K = suspicionMult − 2 confirmations for the shortest.
  probeIntervalMs: 1_000,
  suspicionMult: 4,
  suspicionMaxMult: 6,
  suspicionConfirmations: 2,
  // Several repeats fit in the shortest suspicion (4 s): a lost suspicion or refutation is sent again.
  suspectRepeatMs: 2_000,
  // Everyone notices a vanished peer's silence at about the same moment: about one suspicion goes out per spread.
  silentSuspectSpreadMs: 1_000,
  // Our own pace is one per 250 ms; a burst of 10 absorbs arrival jitter.
  suspectBurst: 10,
  suspectRefillMs: 250
})

/** Hard limits of the `Ephemeral` messages (checked by `decodeEphemeral`). */
export const PRESENCE_LIMITS = Object.freeze({
  /** Largest encoded `Ephemeral` accepted: the longest legal record is ~520 bytes. */
  maxEphemeralBytes: 1024,
  /** Envelope ids and poll ids. */
  idBytes: 16,
  maxNickLength: MAX_NICK_LENGTH,
  maxStatusLength: 100,
  maxClientLength: 64,
  maxPeerIdBytes: MAX_PEER_ID_BYTES
})
