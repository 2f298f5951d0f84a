/**
 * A rendezvous string becomes a CID exactly as go-libp2p's discovery does:
 * CIDv1, raw codec (0x55), multihash sha2-256 of the string's UTF-8 bytes.
 */

import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

/** The rendezvous CID of a namespace string. */
export async function rendezvousCid (namespace: string): Promise<CID> {
  const digest = await sha256.digest(new TextEncoder().encode(namespace))
  return CID.createV1(raw.code, digest)
}
