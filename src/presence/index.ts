/**
 * Public surface of the presence module: the `Presence` state machine (roster and
 * census), its codec, options, limits, events and the census statistics.
 */
export { Presence, rosterChange, type OwnPresenceFields } from './presence.js'
export { Prober, DEFAULT_PROBER_OPTIONS, type ProberOptions, type ProbeOutcome, type ProbeRequest, type ProbeVerdict } from './prober.js'
export { suspicionTimeout, type SuspicionTiming } from './suspicion.js'
export { DEFAULT_PRESENCE_OPTIONS, PRESENCE_LIMITS, type PresenceOptions } from './constants.js'
export { resolvePresenceOptions, type ResolvedPresenceOptions } from './options.js'
export { presenceError, type PresenceErrorCode } from './errors.js'
export {
  decodeEphemeral,
  encodeEphemeral,
  type CensusPollMessage,
  type CensusReplyMessage,
  type CodecDropReason,
  type EphemeralDecodeResult,
  type EphemeralMessage,
  type PresenceLeaveMessage,
  type PresenceRecordMessage
} from './codec.js'
export { accuracyProbability, estimateSize, replyProbability, Z95, type SizeEstimate } from './census-math.js'
export { defaultPeerIdFromBytes, defaultPeerIdToBytes } from './peer-bytes.js'
export {
  PRESENCE_DROP_REASONS,
  REJECT_REASONS,
  SILENT_REASONS,
  type CensusEvent,
  type CensusResult,
  type LastEstimate,
  type PresenceDropReason,
  type PresenceDroppedEvent,
  type PresenceEvent,
  type PresenceReceiveResult,
  type PresenceStatus,
  type PresenceVerdict,
  type RosterChangedEvent,
  type RosterEntry,
  type RosterJoinedEvent,
  type RosterLeftEvent,
  type StartCensusResult
} from './types.js'
