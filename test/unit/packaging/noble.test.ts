/**
 * @noble/* 2.x declare Node >= 20.19 (they are ESM-only; 20.19 is where require() of an ES module
 * works) while p2pchat supports Node 20.11: see engines.test.ts. This imports them the way
 * @libp2p/crypto and @chainsafe/libp2p-noise do (as ES modules, by these subpaths) and checks
 * published test vectors, so a run on Node 20.11 shows they work there.
 */
import { describe, expect, it } from 'vitest'
import { sha256 } from '@noble/hashes/sha2.js'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'))

describe('@noble/* as libp2p imports them', () => {
  it('sha256 of "abc" (FIPS 180-2)', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('ed25519 signs and verifies RFC 8032 test 1', () => {
    const secret = bytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
    const signature = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
    const publicKey = ed25519.getPublicKey(secret)
    expect(hex(publicKey)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')
    expect(hex(ed25519.sign(new Uint8Array(0), secret))).toBe(signature)
    expect(ed25519.verify(bytes(signature), new Uint8Array(0), publicKey)).toBe(true)
    expect(ed25519.verify(bytes(signature), new Uint8Array([1]), publicKey)).toBe(false)
  })

  it('x25519 agrees on RFC 7748 section 6.1', () => {
    const alice = bytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')
    const bob = bytes('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')
    expect(hex(x25519.getPublicKey(alice))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'
    expect(hex(x25519.getSharedSecret(alice, x25519.getPublicKey(bob)))).toBe(shared)
    expect(hex(x25519.getSharedSecret(bob, x25519.getPublicKey(alice)))).toBe(shared)
  })

  it('chacha20poly1305 opens what it sealed and refuses a changed byte', () => {
    const key = new Uint8Array(32).fill(7)
    const nonce = new Uint8Array(12).fill(1)
    const sealed = chacha20poly1305(key, nonce).encrypt(new TextEncoder().encode('hello'))
    expect(new TextDecoder().decode(chacha20poly1305(key, nonce).decrypt(sealed))).toBe('hello')
    sealed[0] ^= 1
    expect(() => chacha20poly1305(key, nonce).decrypt(sealed)).toThrow()
  })
})
