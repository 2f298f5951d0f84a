/**
 * Private rooms' cryptography: the pinned libraries meet their published test vectors
 * (XChaCha20-Poly1305, draft-irtf-cfrg-xchacha-03 A.3.1; HKDF-SHA256, RFC 5869 case 1; scrypt,
 * RFC 7914 §12), and our use of them refuses a tampered, re-keyed or moved message, parses
 * invites with one-line errors, and derives topics nobody can compute without the key.
 */
import { describe, expect, it } from 'vitest'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes } from '../../../src/wire/index.js'
import { formatInvite, keyFromPassphrase, open, parseInvite, roomSecrets, seal, type SealContext } from '../../../src/private/index.js'

const fixed = (byte: number) => (n: number): Uint8Array => new Uint8Array(n).fill(byte)
const KEY = new Uint8Array(32).fill(7)
const CONTEXT: SealContext = { channel: 'p2pchat/private/abc', sender: '12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq', lamport: 1_767_225_600_000, kind: 1 }

describe('the libraries against their published vectors', () => {
  it('XChaCha20-Poly1305, draft-irtf-cfrg-xchacha-03 A.3.1', () => {
    const key = hexToBytes('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f')
    const nonce = hexToBytes('404142434445464748494a4b4c4d4e4f5051525354555657')
    const aad = hexToBytes('50515253c0c1c2c3c4c5c6c7')
    const plaintext = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.")
    const sealed = xchacha20poly1305(key, nonce, aad).encrypt(plaintext)
    expect(bytesToHex(sealed)).toBe('bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' + 'c0875924c1c7987947deafd8780acf49')
  })

  it('HKDF-SHA256, RFC 5869 test case 1', () => {
    const okm = hkdf(sha256, new Uint8Array(22).fill(0x0b), hexToBytes('000102030405060708090a0b0c'), hexToBytes('f0f1f2f3f4f5f6f7f8f9'), 42)
    expect(bytesToHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865')
  })

  it('scrypt, RFC 7914 §12 (the first vector)', async () => {
    const out = await scryptAsync(new Uint8Array(0), new Uint8Array(0), { N: 16, r: 1, p: 1, dkLen: 64 })
    expect(bytesToHex(out)).toBe('77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906')
  })
})

describe('sealing a private room\'s messages', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const text = new TextEncoder().encode('only for members')
    const sealed = seal(KEY, text, CONTEXT, fixed(1))
    expect(sealed.subarray(0, 24)).toEqual(new Uint8Array(24).fill(1))
    expect(open(KEY, sealed, CONTEXT)).toEqual(text)
    expect(seal(KEY, text, CONTEXT, fixed(2))).not.toEqual(sealed)
  })

  it('refuses a tampered message, another key, and a message moved to another room, sender or place', () => {
    const sealed = seal(KEY, new TextEncoder().encode('hello'), CONTEXT, fixed(1))
    const tampered = Uint8Array.from(sealed)
    tampered[30] ^= 1
    expect(open(KEY, tampered, CONTEXT)).toBeUndefined()
    expect(open(new Uint8Array(32).fill(8), sealed, CONTEXT)).toBeUndefined()
    expect(open(KEY, sealed, { ...CONTEXT, channel: 'p2pchat/private/other' })).toBeUndefined()
    expect(open(KEY, sealed, { ...CONTEXT, sender: '12D3KooWRNw2pJC9748Fmq4WNV27HoSTcX3r37132FLkQMrbKAiC' })).toBeUndefined()
    expect(open(KEY, sealed, { ...CONTEXT, lamport: CONTEXT.lamport + 1 })).toBeUndefined()
    expect(open(KEY, sealed.subarray(0, 30), CONTEXT)).toBeUndefined()
  })
})

describe('invites and derivations', () => {
  it('an invite round-trips, and a damaged one says what is wrong in one line', () => {
    const invite = formatInvite({ name: 'book-club', key: KEY })
    expect(invite).toBe('p2pchat:room/book-club#BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc')
    expect(parseInvite(`  ${invite}\n`)).toEqual({ ok: true, invite: { name: 'book-club', key: KEY } })
    expect(parseInvite('p2pchat:room/book-club')).toEqual({ ok: false, detail: 'this invite has no key (the part after "#"); ask for the whole invite' })
    expect(parseInvite('p2pchat:room/book-club#!!!')).toMatchObject({ ok: false, detail: expect.stringMatching(/damaged/) })
    expect(parseInvite('p2pchat:room/book-club#AAAA')).toMatchObject({ ok: false, detail: expect.stringMatching(/3 bytes, not 32/) })
    expect(parseInvite('p2pchat:room/a b#AAAA')).toMatchObject({ ok: false, detail: expect.stringMatching(/room name/) })
    expect(parseInvite('lobby')).toMatchObject({ ok: false })
  })

  it('the topic and rendezvous follow from the key alone, and differ for every key', () => {
    const a = roomSecrets(KEY)
    expect(roomSecrets(KEY)).toEqual(a)
    const b = roomSecrets(new Uint8Array(32).fill(8))
    expect(b.topic).not.toBe(a.topic)
    expect(b.rendezvous).not.toBe(a.rendezvous)
    expect(a.topic).toMatch(/^p2pchat\/private\/[A-Za-z0-9_-]{22}$/)
    expect(a.contentKey).not.toEqual(a.presenceKey)
    expect(bytesToHex(a.contentKey)).not.toBe(bytesToHex(KEY))
  })

  it('a passphrase gives the same key for the same room name only, and a short one is refused', async () => {
    await expect(keyFromPassphrase('too short', 'club')).rejects.toThrow(/at least 12 characters/)
    const key = await keyFromPassphrase('correct horse battery staple', 'club')
    expect(key.byteLength).toBe(32)
    expect(await keyFromPassphrase('correct horse battery staple', 'other')).not.toEqual(key)
  }, 30_000)
})
