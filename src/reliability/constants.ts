/**
 * Options of a reliable channel and their defaults, each with the reason it was
 * chosen. Callers pass `Partial<ChannelOptions>`; `resolveChannelOptions()` spreads
 * it over `DEFAULT_CHANNEL_OPTIONS` and validates the result.
 */

/** Tunables of a `ReliableChannel`. Durations are in ms, sizes in bytes. */
export interface ChannelOptions {
  /** Ids of recently delivered content messages carried in each outgoing message. @default 10 */
  historyLength: number
  /** Longest causal history accepted from the network (else dropped `oversized`). @default 50 */
  maxHistoryEntries: number
  /** Largest content accepted or sent (else dropped `oversized` / thrown). @default 65536 */
  maxContentBytes: number
  /** Largest serialised bloom filter accepted (else dropped `oversized`). @default 1024 */
  maxBloomBytes: number
  /** A message whose Lamport value is ahead of `now` by more is dropped `clock-skew`. @default 300000 */
  maxClockSkewMs: number
  /** Exact dedup memory: ids remembered per set (content; sync+ephemeral use a quarter). @default 20000 */
  seenIdCapacity: number
  /** Delivered content messages kept for `history()` and `answerPull()`. @default 1000 */
  storeMaxMessages: number
  /** Byte bound of the same store (content bytes). @default 16777216 */
  storeMaxBytes: number
  /** Most messages returned by one `answerPull()` (the ids asked for plus deep-pull ancestors). @default 150 */
  answerMaxMessages: number
  /** Most content bytes returned by one `answerPull()` (at least one message is always returned). @default 262144 */
  answerMaxBytes: number
  /** Most ids in one `PullRequest`. @default 50 */
  maxPullIds: number
  /** Causal ancestors a deep pull lets the answerer add (0 = off; the wire caps it at 100). @default 100 */
  maxPullAncestors: number
  /** Most content messages waiting for dependencies. @default 2000 */
  bufferCapacity: number
  /** A dependency still missing this long after it was noticed is declared lost. @default 30000 */
  lostAfterMs: number
  /** A lost id is still pulled in the background until this long after it was declared lost. @default 300000 */
  repairGiveUpMs: number
  /** Delay before the first pull of a newly missing id. @default 250 */
  pullInitialDelayMs: number
  /** First pull retry delay; doubles per attempt. @default 500 */
  pullBackoffBaseMs: number
  /** Cap of the pull retry delay. @default 8000 */
  pullBackoffMaxMs: number
  /** First resend delay of an unacknowledged own message; doubles per attempt. @default 1000 */
  resendBaseMs: number
  /** Cap of the resend delay. @default 30000 */
  resendMaxMs: number
  /** Resends before `out:not-confirmed`. @default 5 */
  maxResendAttempts: number
  /** Relative jitter of every backoff and timer: delay × (1 ± jitter). @default 0.25 */
  jitter: number
  /** First push again of an own message no later message names yet; doubles per push. @default 1000 */
  tailPushMs: number
  /** Pushes of such a message before only syncs announce it (0 = off). @default 3 */
  maxTailPushes: number
  /**
   * A line from another peer that no message of ours, nor another receiver's, names yet is
   * acknowledged by a sync within this (jittered down to half; 0 = off). @default 1500
   */
  ackSyncMs: number
  /** Peers of a room expected to send that sync (and to answer a peer that is behind), whatever the room's size. @default 4 */
  quietAckers: number
  /** A sync showing that its sender lacks what we announce is answered by our sync within this (0 = off). @default 500 */
  behindAnswerMs: number
  /** Quiet time after which a sync message is sent. @default 30000 */
  syncIntervalMs: number
  /** Cap of the quiet-time backoff while the history does not change. @default 300000 */
  syncMaxIntervalMs: number
  /** Bits of each bloom filter generation. @default 4096 */
  bloomBits: number
  /** Hash functions of the bloom filter. @default 7 */
  bloomHashes: number
  /** Ids per bloom filter generation before it rolls. @default 100 */
  bloomCapacity: number
  /** Age after which the current bloom generation rolls even if not full. @default 60000 */
  bloomRollMs: number
  /** Pre-join messages a late joiner fetches beyond the histories it is shown. @default 100 */
  catchUpLimit: number
  /** Recently heard peers remembered as pull candidates. @default 32 */
  recentPeersCapacity: number
  /** Most candidate peers listed per pull request. @default 6 */
  maxPullCandidates: number
  /** Ids remembered as lost (so late deps on them do not wait again). @default 10000 */
  lostIdCapacity: number
  /** Put the original sender as `retrievalHint` on outgoing history entries. @default false */
  includeRetrievalHints: boolean
  /** Source of randomness for jitter in [0, 1). @default a PRNG seeded from the self id */
  random: (() => number) | undefined
}

/** The defaults. Each value's reason is next to it. */
export const DEFAULT_CHANNEL_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  // Same as chat2-reliable: enough overlap between consecutive messages that one lost
  // message is named by the next several, at about 20 B per entry on the wire.
  historyLength: 10,
  // Five times our own length: room for other implementations, still bounded.
  maxHistoryEntries: 50,
  // A chat line is small; 64 KiB leaves room for pastes yet bounds memory per message.
  maxContentBytes: 64 * 1024,
  // Twice our own 513 B filter: tolerates a larger peer filter, refuses amplification.
  maxBloomBytes: 1024,
  // NTP-less laptops drift by seconds, not minutes; 5 min bounds how far one liar drags the clock.
  maxClockSkewMs: 5 * 60_000,
  // Exact dedup without false positives: 20k ids ≈ 1.3 MB, hours of a busy room.
  seenIdCapacity: 20_000,
  // Enough recent messages to answer every pull a peer can make within `lostAfterMs`.
  storeMaxMessages: 1_000,
  // 1,000 messages at the 64 KiB maximum would be 64 MiB; 16 MiB is the realistic bound.
  storeMaxBytes: 16 * 1024 * 1024,
  // `maxPullIds` plus `maxPullAncestors`: one deep request is answered in full (~165 KB of records).
  answerMaxMessages: 150,
  // Keeps one repair response well under a few hundred KiB on the wire.
  answerMaxBytes: 256 * 1024,
  // Batches repair of a burst without making one response unbounded.
  maxPullIds: 50,
  // After a partition each pulled message names ~10 older unknown ids, so repair walked back
  // 10 messages per round trip; letting the answerer add the ancestors we lack (judged by our
  // bloom filter) walks back ~110 per round trip: a 30 s partition at 10 msg/s in two. For a
  // single loss it adds nothing (the lost message's history is in our filter). The repair
  // protocol caps it at 100 (MAX_PULL_IDS); bounded by `answerMaxMessages` per answer.
  maxPullAncestors: 100,
  // Holds a long partition's backlog while bounding memory (chat2's buffer was unbounded).
  bufferCapacity: 2_000,
  // About seven pull attempts (0.5+1+2+4+8+8+8 s) through rotating peers before giving up.
  lostAfterMs: 30_000,
  // Gaps heal once the network does: a late arrival within 5 min is still delivered
  // (flagged outOfOrder); one pull per `pullBackoffMaxMs` per lost id is cheap.
  repairGiveUpMs: 5 * 60_000,
  // Gossip reorders by milliseconds; waiting briefly avoids pulling what is already in flight.
  pullInitialDelayMs: 250,
  // Repair is a direct stream, so a quick first retry is cheap.
  pullBackoffBaseMs: 500,
  // Keeps retries frequent enough to fit several into `lostAfterMs`.
  pullBackoffMaxMs: 8_000,
  // chat2-reliable's backoff: 1, 2, 4, 8, 16 s.
  resendBaseMs: 1_000,
  // Same cap as chat2-reliable.
  resendMaxMs: 30_000,
  // Five rebroadcasts (~31 s) cover a short outage; the sync round (~30 s) acks in quiet rooms.
  maxResendAttempts: 5,
  // The newest message of a burst is named by no later one, so a peer that lost its copy
  // would wait for a sync (~30 s). Pushed again after 1, 3 and 7 s unless named first: at
  // 10 % loss on every copy, one peer in 10,000 still lacks it after the third push.
  tailPushMs: 1_000,
  maxTailPushes: 3,
  // ±25 % spreads timers of many peers so they do not fire in lock-step.
  jitter: 0.25,
  // A mark that says `✓` within seconds in a room where nobody types (the target is 5 s),
  // spread over 0.75-1.5 s so the first receiver's sync usually spares the others theirs.
  ackSyncMs: 1_500,
  // e^-4: about 2 % of quiet moments in a large room get no such sync; the resends and the
  // quiet-room sync still acknowledge them long before `out:not-confirmed`.
  quietAckers: 4,
  // A peer back from a partition or a restart says where it stands in a sync on join; an
  // answer within half a second lets it pull what it lacks at once, not at the next quiet sync.
  behindAnswerMs: 500,
  // Same as chat2-reliable; short enough to ack before `out:not-confirmed` (~61 s).
  syncIntervalMs: 30_000,
  // An idle room still re-announces every 5 min, so a healed partition converges unprompted.
  syncMaxIntervalMs: 5 * 60_000,
  // 512 B: with k = 7 and 200 ids (two generations of 100) the FP rate is 1.7e-4.
  bloomBits: 4096,
  // Optimal k for 4096 bits and 200 ids is 4096/200·ln 2 ≈ 14; 7 halves the hashing for a small cost.
  bloomHashes: 7,
  // The wire carries the union of two generations, so at most 200 ids are ever encoded.
  bloomCapacity: 100,
  // Ack information only matters during the resend window (~61 s); rolling keeps it fresh.
  bloomRollMs: 60_000,
  // A joiner sees the last ~100 lines, like a terminal's scrollback, not the whole past.
  catchUpLimit: 100,
  // Enough alternative holders to route around a few dead peers.
  recentPeersCapacity: 32,
  // Hint + referrers + a few recent peers.
  maxPullCandidates: 6,
  // Ten partitions' worth of lost ids; older ones are harmless to forget.
  lostIdCapacity: 10_000,
  // Off: the message's own sender delivered (so holds) every id it names and is asked first;
  // a hint costs ~40 B per entry (~400 B per message) and would break the ~1 KB overhead budget.
  includeRetrievalHints: false,
  // Deterministic by default: a small PRNG seeded from the self id (see random.ts).
  random: undefined
})

/**
 * Hard limits shared with the wire layer (decoders should enforce the same bounds
 * before the core sees a message).
 */
export const RELIABILITY_LIMITS = Object.freeze({
  /** Bytes of a message id. */
  messageIdBytes: 16,
  /** Largest Lamport value representable exactly (uint64 values above are rejected). */
  maxLamport: Number.MAX_SAFE_INTEGER,
  /** Default caps, mirrored from `DEFAULT_CHANNEL_OPTIONS`. */
  maxHistoryEntries: DEFAULT_CHANNEL_OPTIONS.maxHistoryEntries,
  maxContentBytes: DEFAULT_CHANNEL_OPTIONS.maxContentBytes,
  maxBloomBytes: DEFAULT_CHANNEL_OPTIONS.maxBloomBytes,
  maxPullIds: DEFAULT_CHANNEL_OPTIONS.maxPullIds
})
