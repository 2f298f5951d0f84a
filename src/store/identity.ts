/**
 * The node's identity: a libp2p private key (Ed25519 when generated) kept in the
 * profile as the protobuf bytes `privateKeyToProtobuf` writes, file mode 0600, written
 * atomically, so the PeerId survives restarts. A key file readable by group or others
 * is refused (like ssh does) with the command that fixes it. `--key <file>` imports a
 * key: the raw protobuf bytes, or the same base64-encoded.
 */
import { readFile, stat } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { P2pchatError } from '../errors.js'
import { writeFileAtomic } from './atomic-file.js'

/** Where the identity came from. */
export type KeySource = 'loaded' | 'generated' | 'imported' | 'ephemeral'

/** A loaded identity. */
export interface Identity {
  privateKey: PrivateKey
  /** The PeerId string derived from the key. */
  peerId: string
  source: KeySource
  /** The profile's key file (undefined when ephemeral). */
  keyPath?: string
}

/** Options of `loadIdentity`. */
export interface IdentityOptions {
  /** The profile's key file; undefined = ephemeral (nothing is written). */
  keyPath?: string
  /** `--key <file>`: a key to import (and save in the profile when it has none). */
  importPath?: string
  /** For the file mode checks (skipped on Windows). @default process.platform */
  platform?: NodeJS.Platform
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/

/** Throws KEY_INSECURE when a key file's mode lets group or others read or write it. */
export function checkKeyFileMode (mode: number, path: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32' || (mode & 0o077) === 0) return
  throw new P2pchatError('KEY_INSECURE',
    `key file ${path} is accessible by group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${path}`)
}

/** Decodes a private key: protobuf bytes as `privateKeyToProtobuf` writes them, or the same in base64. */
export function parsePrivateKey (bytes: Uint8Array, path: string): PrivateKey {
  try {
    return privateKeyFromProtobuf(bytes)
  } catch {}
  const text = Buffer.from(bytes).toString('utf8').replace(/\s+/g, '')
  if (text.length > 0 && BASE64.test(text)) {
    try {
      return privateKeyFromProtobuf(new Uint8Array(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64')))
    } catch {}
  }
  throw new P2pchatError('KEY_INVALID',
    `cannot read a libp2p private key from ${path}: expected the protobuf bytes privateKeyToProtobuf writes, or the same base64-encoded`)
}

/** Reads and decodes a key file, refusing one accessible by group or others. */
export async function readKeyFile (path: string, platform: NodeJS.Platform = process.platform): Promise<PrivateKey> {
  let bytes: Uint8Array
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new P2pchatError('KEY_INVALID', `key file ${path} is not a regular file`)
    checkKeyFileMode(info.mode, path, platform)
    bytes = await readFile(path)
  } catch (err) {
    if (err instanceof P2pchatError) throw err
    throw new P2pchatError('IO_FAILED', `cannot read key file ${path}: ${(err as Error).message}`, { cause: err })
  }
  return parsePrivateKey(bytes, path)
}

/** Writes a key file atomically with mode 0600. */
export async function writeKeyFile (path: string, key: PrivateKey): Promise<void> {
  try {
    await writeFileAtomic(path, privateKeyToProtobuf(key), 0o600)
  } catch (err) {
    throw new P2pchatError('IO_FAILED', `cannot write key file ${path}: ${(err as Error).message}`, { cause: err })
  }
}

async function exists (path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw new P2pchatError('IO_FAILED', `cannot access ${path}: ${(err as Error).message}`, { cause: err })
  }
}

function identity (privateKey: PrivateKey, source: KeySource, keyPath?: string): Identity {
  const out: Identity = { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString(), source }
  if (keyPath !== undefined) out.keyPath = keyPath
  return out
}

/**
 * Loads the profile's key, or creates it: imported from `importPath` when given (a
 * profile that already has a different key refuses the import), else a new Ed25519 key.
 * Without `keyPath` (ephemeral) nothing is read from or written to the profile.
 */
export async function loadIdentity (options: IdentityOptions): Promise<Identity> {
  const platform = options.platform ?? process.platform
  const imported = options.importPath === undefined ? undefined : await readKeyFile(options.importPath, platform)
  const { keyPath } = options
  if (keyPath === undefined) {
    return imported === undefined ? identity(await generateKeyPair('Ed25519'), 'ephemeral') : identity(imported, 'imported')
  }
  if (await exists(keyPath)) {
    const stored = await readKeyFile(keyPath, platform)
    if (imported !== undefined && !imported.equals(stored)) {
      throw new P2pchatError('KEY_CONFLICT',
        `this profile already has a different key (${keyPath}); use another --profile for the imported key, or move ${keyPath} away first`)
    }
    return identity(stored, 'loaded', keyPath)
  }
  const key = imported ?? await generateKeyPair('Ed25519')
  await writeKeyFile(keyPath, key)
  return identity(key, imported === undefined ? 'generated' : 'imported', keyPath)
}
