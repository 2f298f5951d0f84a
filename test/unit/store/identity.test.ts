import { chmod, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { checkKeyFileMode, loadIdentity, parsePrivateKey } from '../../../src/store/index.js'
import { tempDir } from './helpers.js'

async function rejection (work: Promise<unknown>): Promise<P2pchatError> {
  try {
    await work
  } catch (err) {
    if (err instanceof P2pchatError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

describe('identity', () => {
  it('generates an Ed25519 key with mode 0600 and loads the same PeerId next time', async () => {
    const dir = await tempDir()
    const keyPath = join(dir, 'key')
    const first = await loadIdentity({ keyPath })
    expect(first.source).toBe('generated')
    expect(first.privateKey.type).toBe('Ed25519')
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600)
    const second = await loadIdentity({ keyPath })
    expect(second).toMatchObject({ source: 'loaded', peerId: first.peerId })
  })

  it('refuses a key file readable by group or others, saying how to fix it', async () => {
    const dir = await tempDir()
    const keyPath = join(dir, 'key')
    await loadIdentity({ keyPath })
    await chmod(keyPath, 0o644)
    const err = await rejection(loadIdentity({ keyPath }))
    expect(err.code).toBe('KEY_INSECURE')
    expect(err.message).toBe(`key file ${keyPath} is accessible by group or others (mode 0644); run: chmod 600 ${keyPath}`)
    expect(err.message).not.toContain('\n')
    await chmod(keyPath, 0o600)
    expect((await loadIdentity({ keyPath })).source).toBe('loaded')
    expect(() => { checkKeyFileMode(0o100640, keyPath, 'linux') }).toThrow(/chmod 600/)
    expect(() => { checkKeyFileMode(0o100644, keyPath, 'win32') }).not.toThrow()
  })

  it('--key imports raw protobuf or base64, saves it into an empty profile, and refuses a different one', async () => {
    const dir = await tempDir()
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key).toString()
    const raw = join(dir, 'raw.key')
    const b64 = join(dir, 'b64.key')
    await writeFile(raw, privateKeyToProtobuf(key), { mode: 0o600 })
    await writeFile(b64, Buffer.from(privateKeyToProtobuf(key)).toString('base64') + '\n', { mode: 0o600 })

    const keyPath = join(dir, 'profile-key')
    expect(await loadIdentity({ keyPath, importPath: raw })).toMatchObject({ source: 'imported', peerId })
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600)
    expect(await loadIdentity({ keyPath })).toMatchObject({ source: 'loaded', peerId })
    expect(await loadIdentity({ keyPath, importPath: b64 })).toMatchObject({ source: 'loaded', peerId })
    expect(await loadIdentity({ importPath: b64 })).toMatchObject({ source: 'imported', peerId }) // ephemeral: nothing written

    const other = join(dir, 'other.key')
    await writeFile(other, privateKeyToProtobuf(await generateKeyPair('Ed25519')), { mode: 0o600 })
    expect((await rejection(loadIdentity({ keyPath, importPath: other }))).code).toBe('KEY_CONFLICT')
  })

  it('refuses garbage and insecure import files', async () => {
    const dir = await tempDir()
    const junk = join(dir, 'junk')
    await writeFile(junk, 'not a key at all', { mode: 0o600 })
    expect((await rejection(loadIdentity({ importPath: junk }))).code).toBe('KEY_INVALID')
    expect(() => parsePrivateKey(new Uint8Array([8, 1, 18, 3, 1, 2, 3]), 'x')).toThrow(/privateKeyToProtobuf/)
    const open = join(dir, 'open.key')
    await writeFile(open, privateKeyToProtobuf(await generateKeyPair('Ed25519')), { mode: 0o644 })
    await chmod(open, 0o644)
    expect((await rejection(loadIdentity({ importPath: open }))).code).toBe('KEY_INSECURE')
    expect((await rejection(loadIdentity({ importPath: join(dir, 'missing') }))).code).toBe('IO_FAILED')
  })

  it('ephemeral without --key: a fresh key each time, nothing written', async () => {
    const a = await loadIdentity({})
    const b = await loadIdentity({})
    expect(a.source).toBe('ephemeral')
    expect(a.peerId).not.toBe(b.peerId)
    expect(a.keyPath).toBeUndefined()
  })
})
