/**
 * Finality checkpoints, pure: the digest a checkpoint carries ("the order of everything up to
 * Lamport L is final"), a peer's check of its own history against one, and whether a message
 * that arrives now is late (below the final point, so it is shown as late rather than slid into
 * settled history).
 */
import { createHash } from 'node:crypto'
import { hexToBytes, MESSAGE_ID_BYTES } from '../wire/index.js'
import type { Finality } from './governance.js'

/** A content message's place in the canonical order. */
export interface CanonicalKey { lamport: number, id: string }

/** Canonical order: Lamport value, then id (as the store keeps it). */
export function canonicalCompare (a: CanonicalKey, b: CanonicalKey): number {
  return a.lamport !== b.lamport ? a.lamport - b.lamport : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * SHA-256 over the 16-byte ids of every message in the window `after` < Lamport ≤ `lamport`, in
 * canonical order (hex). `after` is the previous checkpoint's Lamport value (0 for the first).
 */
export function finalityDigest (messages: Iterable<CanonicalKey>, lamport: number, after = 0): string {
  const upTo = [...messages].filter(m => m.lamport <= lamport && m.lamport > after).sort(canonicalCompare)
  const h = createHash('sha256')
  for (const m of upTo) {
    const id = hexToBytes(m.id)
    if (id.byteLength !== MESSAGE_ID_BYTES) throw new Error(`finality: a message id must be ${MESSAGE_ID_BYTES} bytes, got ${m.id}`)
    h.update(id)
  }
  return h.digest('hex')
}

/** Whether our own history up to a checkpoint is the one the committee made final. */
export function checkAgainst (messages: Iterable<CanonicalKey>, finality: Pick<Finality, 'lamport' | 'digest'>, after = 0): 'agree' | 'disagree' {
  return finalityDigest(messages, finality.lamport, after) === finality.digest ? 'agree' : 'disagree'
}

/** True when a message at `lamport` arrives below the final point: it is shown marked late. */
export function isLate (lamport: number, finality: Pick<Finality, 'lamport'> | undefined): boolean {
  return finality !== undefined && lamport <= finality.lamport
}
