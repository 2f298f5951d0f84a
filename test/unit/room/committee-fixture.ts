/**
 * A committee that signs for real (Ed25519 keys from fixed seeds) and writes certified batches,
 * as a leader would, for tests of what peers do with them.
 */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { certificatePayload, chainDigest, GENESIS_DIGEST, type CertifiedBatch, type Entry, type EntryKind } from '../../../src/consensus/index.js'
import { encodeGovernanceCommand, type GovernanceAction } from '../../../src/room/governance-codec.js'

/** A peer with a fixed key. */
export interface FixedPeer { key: PrivateKey, id: string }

/** The peer whose key comes from seed byte `n`. */
export async function fixedPeer (n: number): Promise<FixedPeer> {
  const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(n))
  return { key, id: peerIdFromPrivateKey(key).toString() }
}

/** Writes a room's log as a leader would: entries chained, batches certified by chosen signers. */
export class LogWriter {
  private index = 0
  private digest: Uint8Array = GENESIS_DIGEST
  private pending: Entry[] = []

  constructor (private readonly room: string, private readonly term = 1) {}

  /** Appends a command entry. */
  command (action: GovernanceAction, by: string, issuedAt = 1_767_225_600_000): this {
    return this.entry('command', encodeGovernanceCommand({ ...action, by, issuedAt } as Parameters<typeof encodeGovernanceCommand>[0]))
  }

  /** Appends a change of members (the whole new list). */
  change (members: string[]): this { return this.entry('config', new Uint8Array(0), members) }

  /** Appends a no-op (a new leader's first entry). */
  noop (): this { return this.entry('noop', new Uint8Array(0)) }

  /** Certifies what was appended since the last batch with the signatures of `signers`. */
  async certify (signers: FixedPeer[]): Promise<CertifiedBatch> {
    const entries = this.pending
    this.pending = []
    const payload = certificatePayload(this.room, this.term, this.index, this.digest)
    const signatures = await Promise.all(signers.map(async s => ({ member: s.id, signature: await s.key.sign(payload) })))
    return { entries, certificate: { term: this.term, index: this.index, digest: this.digest, signatures } }
  }

  private entry (kind: EntryKind, data: Uint8Array, members?: string[]): this {
    const e: Entry = { index: ++this.index, term: this.term, kind, data, ...(members === undefined ? {} : { members }) }
    this.digest = chainDigest(this.digest, e)
    this.pending.push(e)
    return this
  }
}
