import { describe, expect, it } from 'vitest'
import { rendezvousCid } from '../../../src/discovery/rendezvous-cid.js'
import { roomNames } from '../../../src/discovery/room-names.js'

describe('rendezvousCid', () => {
  it('matches the well-known CIDv1 raw sha2-256 of the empty string', async () => {
    // The empty-bytes raw CID, as `ipfs add --raw-leaves --cid-version 1` of an empty file prints it.
    expect((await rendezvousCid('')).toString()).toBe('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
  })

  it('matches a CID computed independently (node:crypto sha256 + hand-written CIDv1 base32) for p2pchat/x', async () => {
    // Computed in a separate script: base32(0x01 0x55 0x12 0x20 || sha256("p2pchat/x")), "b" prefix.
    expect((await rendezvousCid('p2pchat/x')).toString()).toBe('bafkreiafdc4yyz3sbmynytolrczhbumcynj4y3p3mu44iksdawb3hezodi')
  })

  it('is CIDv1, raw codec, sha2-256', async () => {
    const cid = await rendezvousCid('anything')
    expect(cid.version).toBe(1)
    expect(cid.code).toBe(0x55)
    expect(cid.multihash.code).toBe(0x12)
    expect(cid.multihash.digest.byteLength).toBe(32)
  })

  it('differs between rooms', async () => {
    expect((await rendezvousCid('p2pchat/a')).equals(await rendezvousCid('p2pchat/b'))).toBe(false)
  })
})

describe('roomNames', () => {
  it('derives rendezvous and topic from the room name', () => {
    expect(roomNames('x')).toEqual({ name: 'x', rendezvous: 'p2pchat/x', topic: 'p2pchat/x' })
  })
})
