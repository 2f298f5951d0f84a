/**
 * The consensus core: a committee member's Raft as a pure state machine (`step`, `tick`,
 * `ready`), its options and its types. Layers above enter here.
 */
export { RaftCore, type RaftInit } from './raft.js'
export { DEFAULT_CONSENSUS_OPTIONS, resolveConsensusOptions, type ConsensusOptions } from './options.js'
export { quorumSize } from './quorum.js'
export type * from './types.js'
export { committeeSize, initialTrustedCommittee, nextMembershipChange, rankCandidates, SHRINK_MARGIN, steadyTrustedCommittee, trustedCommittee } from './committee.js'
export { certificatePayload, chainDigest, committeeOf, GENESIS_DIGEST, hasQuorum, verifyCertificate, type CertificateSignature, type QuorumCertificate, type SignatureCheck } from './certificate.js'
export { convertBatch, decodeCertifiedBatch, decodeCommitteeMessage, encodeCertifiedBatch, encodeCommitteeMessage, MAX_BATCH_ENTRIES, type CommitteeDecodeResult, type CommitteeDropReason } from './codec.js'
export { COMMITTEE_LIMITS } from './constants.js'
export { Certifier } from './certifier.js'
export { CommitteeFollower, type FollowerRefusal, type CertifiedBatch } from './follower.js'
