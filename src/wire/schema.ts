/**
 * Loads the wire schema from `proto/p2pchat.proto` with protobufjs, once, and
 * exposes the message types. The .proto file is the single source of truth for
 * bytes on the wire; nothing here restates field numbers.
 */

import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import protobuf from 'protobufjs'

const PROTO_FILE = join('proto', 'p2pchat.proto')

/** Walks up from this module to the package root that holds proto/ (works from src/ and dist/). */
function findProtoFile (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, PROTO_FILE)
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new Error(`p2pchat: cannot find ${PROTO_FILE} above ${fileURLToPath(import.meta.url)}`)
}

const root = protobuf.loadSync(findProtoFile())

/** The protobufjs types of the wire format, package `p2pchat.v1`. */
export const schema = {
  ChatMessage: root.lookupType('p2pchat.v1.ChatMessage'),
  ChatContent: root.lookupType('p2pchat.v1.ChatContent'),
  PullRequest: root.lookupType('p2pchat.v1.PullRequest'),
  PullResponse: root.lookupType('p2pchat.v1.PullResponse'),
  SignedRecord: root.lookupType('p2pchat.v1.SignedRecord'),
  RainTreeEnvelope: root.lookupType('p2pchat.v1.RainTreeEnvelope'),
  RainTreeAck: root.lookupType('p2pchat.v1.RainTreeAck'),
  Ephemeral: root.lookupType('p2pchat.v1.Ephemeral'),
  PresenceRecord: root.lookupType('p2pchat.v1.PresenceRecord'),
  PresenceLeave: root.lookupType('p2pchat.v1.PresenceLeave'),
  PresenceLost: root.lookupType('p2pchat.v1.PresenceLost'),
  PresenceSuspect: root.lookupType('p2pchat.v1.PresenceSuspect'),
  ProbeRequest: root.lookupType('p2pchat.v1.ProbeRequest'),
  ProbeResponse: root.lookupType('p2pchat.v1.ProbeResponse'),
  CensusPoll: root.lookupType('p2pchat.v1.CensusPoll'),
  CensusReply: root.lookupType('p2pchat.v1.CensusReply'),
  CommitteeMessage: root.lookupType('p2pchat.v1.CommitteeMessage'),
  GovernanceCommand: root.lookupType('p2pchat.v1.GovernanceCommand'),
  CertifiedBatch: root.lookupType('p2pchat.v1.CertifiedBatch'),
  DecisionRequest: root.lookupType('p2pchat.v1.DecisionRequest'),
  DecisionAnswer: root.lookupType('p2pchat.v1.DecisionAnswer'),
  DirectMessage: root.lookupType('p2pchat.v1.DirectMessage'),
  SignedDirect: root.lookupType('p2pchat.v1.SignedDirect'),
  DirectBatch: root.lookupType('p2pchat.v1.DirectBatch'),
  DirectAck: root.lookupType('p2pchat.v1.DirectAck'),
  Kind: root.lookupEnum('p2pchat.v1.Kind')
}

/** The wire format version this build writes. */
export const WIRE_VERSION = 1
