/**
 * Checking a committee member's signature with the public key its peer id carries (an Ed25519
 * peer id is its public key, identity-hashed): no key exchange, no lookup.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import type { SignatureCheck } from '../consensus/index.js'

/** Checks a signature with the public key inside an Ed25519 (identity-multihash) peer id. */
export const checkByPeerId: SignatureCheck = (member, payload, signature) => {
  try {
    const key = peerIdFromString(member).publicKey
    return key !== undefined && key.verify(payload, signature) === true
  } catch {
    return false
  }
}
