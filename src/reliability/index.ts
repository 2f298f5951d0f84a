/**
 * Public surface of the reliability core: the `ReliableChannel` state machine, its
 * message and event types, options and limits, message ids, the bloom filter helpers
 * and canonical ordering.
 */
export { ReliableChannel } from './channel.js'
export type { ContentSource } from './outgoing.js'
export { DEFAULT_CHANNEL_OPTIONS, RELIABILITY_LIMITS, type ChannelOptions } from './constants.js'
export { resolveChannelOptions, type ResolvedChannelOptions } from './options.js'
export { reliabilityError, type ReliabilityErrorCode } from './errors.js'
export { computeMessageId, isMessageId, KIND_CODES, type MessageIdInput } from './message-id.js'
export {
  ackThresholdFor,
  bloomContains,
  bloomFalsePositiveRate,
  bloomKey,
  parseBloom,
  RollingBloomFilter,
  type BloomKey,
  type ParsedBloom
} from './bloom.js'
export { compareCanonical, sortCanonical, type OrderKey } from './order.js'
export { LamportClock } from './lamport.js'
export {
  SNAPSHOT_VERSION,
  fromSnapshotMessage,
  toSnapshotMessage,
  type ChannelSnapshot,
  type RestoreInput,
  type RestoreSummary,
  type SeenSnapshot,
  type SnapshotMessage,
  type SnapshotOptions,
  type UnackedSnapshot
} from './snapshot.js'
export type {
  ChannelEvent,
  SentEvent,
  DeliveredEvent,
  MissingEvent,
  AcknowledgedEvent,
  PossiblyAcknowledgedEvent,
  LostEvent,
  NotConfirmedEvent,
  DroppedEvent
} from './events.js'
export {
  DROP_REASONS,
  type ChannelStatus,
  type DropReason,
  type HistoryEntry,
  type MessageId,
  type MessageKind,
  type PullRequest,
  type PullScope,
  type ReceiveResult,
  type ReliableMessage
} from './types.js'
