/** Checks of committee.json against the code. */
import { peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'vitest'
import { certificatePayload, chainDigest, decodeCommitteeMessage, encodeCommitteeMessage, GENESIS_DIGEST } from '../../../src/consensus/index.js'
import { entryOf, messageOf, type EntryFields, type MessageFields } from '../build/committee.js'
import { hex, unhex } from '../build/common.js'

interface CommitteeCase {
  room?: string
  fields?: MessageFields
  hex?: string
  log?: EntryFields[]
  digests?: string[]
  term?: number
  index?: number
  digest?: string
  payload?: string
  signer?: string
  signature?: string
}

/** Recomputes one case of committee.json. */
export async function checkCommittee (c: CommitteeCase): Promise<void> {
  if (c.fields !== undefined && c.hex !== undefined && c.room !== undefined) {
    const message = messageOf(c.fields)
    expect(hex(encodeCommitteeMessage(c.room, message))).toBe(c.hex)
    expect(decodeCommitteeMessage(unhex(c.hex))).toEqual({ ok: true, room: c.room, message })
    return
  }
  if (c.log !== undefined && c.digests !== undefined) {
    let digest: Uint8Array = GENESIS_DIGEST
    const digests = c.log.map(e => { digest = chainDigest(digest, entryOf(e)); return hex(digest) })
    expect(digests).toEqual(c.digests)
    return
  }
  const payload = certificatePayload(String(c.room), Number(c.term), Number(c.index), unhex(String(c.digest)))
  expect(hex(payload)).toBe(c.payload)
  const key = peerIdFromString(String(c.signer)).publicKey
  expect(key).toBeDefined()
  expect(await key?.verify(payload, unhex(String(c.signature)))).toBe(true)
}
