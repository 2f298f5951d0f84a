/**
 * A profile: everything p2pchat keeps for one identity, opened as one unit. On disk it is
 * `<dataDir>/<name>/` (mode 0700) with the key file, the LevelDB store and the input
 * history; with `ephemeral` nothing touches the disk (memory store, fresh or imported
 * key, memory input history). The store is opened first: its LevelDB LOCK is what makes a
 * second process on the same profile fail (PROFILE_IN_USE) before it can touch the key.
 *
 * Shutdown order for the driver: stop the libp2p node (it uses `datastore`), then
 * `profile.close()`.
 */
import { mkdir } from 'node:fs/promises'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'
import { P2pchatError } from '../errors.js'
import type { ChatStore, ChatStoreInit } from './chat-store.js'
import { loadIdentity, type Identity } from './identity.js'
import { fileInputHistory, memoryInputHistory, type InputHistory } from './input-history.js'
import { openStore, releasePidFile } from './open-store.js'
import { fileRoomKeys, memoryRoomKeys, type RoomKeyStore } from './room-keys.js'
import { DEFAULT_PROFILE, profilePaths, validateProfileName, type ProfilePaths } from './paths.js'

/** Options of `openProfile`. */
export interface OpenProfileOptions {
  /** The data directory (see `resolveDataDir`); required unless `ephemeral`. */
  dataDir?: string
  /** Profile name (`--profile`). @default 'default' */
  profile?: string
  /** Nothing on disk (`--ephemeral`). @default false */
  ephemeral?: boolean
  /** A key file to import (`--key`). */
  keyFile?: string
  /** Store tuning (retention, fsync, clock, log). */
  store?: ChatStoreInit
  /** LevelDB table compression. @default true */
  compression?: boolean
  /** For file mode checks and paths. @default process.platform */
  platform?: NodeJS.Platform
}

/** An open profile. */
export interface Profile {
  readonly name: string
  readonly ephemeral: boolean
  /** The files (undefined when ephemeral). */
  readonly paths?: ProfilePaths
  readonly identity: Identity
  readonly privateKey: PrivateKey
  readonly peerId: string
  readonly store: ChatStore
  /** Give this to libp2p: `createLibp2p({ datastore })` (peer store, DHT records). */
  readonly datastore: Datastore
  readonly inputHistory: InputHistory
  /** The keys of the private rooms this profile holds. */
  readonly roomKeys: RoomKeyStore
  /** Flushes and closes the store and releases the profile. Stop libp2p first. */
  close: () => Promise<void>
}

async function makeDir (path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new P2pchatError('IO_FAILED', `cannot create ${path}: ${(err as Error).message}`, { cause: err })
  }
}

/** Opens (creating if needed) a profile. Errors: see the store's errors.ts and identity.ts. */
export async function openProfile (options: OpenProfileOptions): Promise<Profile> {
  const name = validateProfileName(options.profile ?? DEFAULT_PROFILE)
  const ephemeral = options.ephemeral === true
  const log = options.store?.log ?? (() => {})
  if (ephemeral) {
    const identity = await loadIdentity(options.keyFile === undefined ? {} : { importPath: options.keyFile, platform: options.platform })
    const store = await openStore({ ...options.store, profile: name })
    return profile(name, true, undefined, identity, store, memoryInputHistory(), memoryRoomKeys())
  }
  if (options.dataDir === undefined) throw new P2pchatError('INVALID_FLAG', 'no data directory: give --data-dir, or use --ephemeral')
  const paths = profilePaths(options.dataDir, name, options.platform)
  await makeDir(options.dataDir)
  await makeDir(paths.dir)
  const store = await openStore({ ...options.store, profile: name, path: paths.store, pidFile: paths.pid, compression: options.compression })
  try {
    const identity = await loadIdentity({ keyPath: paths.key, importPath: options.keyFile, platform: options.platform })
    const roomKeys = await fileRoomKeys(paths.roomKeys, options.platform)
    return profile(name, false, paths, identity, store, fileInputHistory(paths.inputHistory, log), roomKeys)
  } catch (err) {
    await store.close().catch(() => {})
    await releasePidFile(paths.pid)
    throw err
  }
}

function profile (
  name: string,
  ephemeral: boolean,
  paths: ProfilePaths | undefined,
  identity: Identity,
  store: ChatStore,
  inputHistory: InputHistory,
  roomKeys: RoomKeyStore
): Profile {
  let closing: Promise<void> | undefined
  const out: Profile = {
    name,
    ephemeral,
    identity,
    privateKey: identity.privateKey,
    peerId: identity.peerId,
    store,
    datastore: store.datastore,
    inputHistory,
    roomKeys,
    close: async () => {
      closing ??= (async () => {
        await store.close()
        await releasePidFile(paths?.pid)
      })()
      await closing
    }
  }
  return paths === undefined ? out : { ...out, paths }
}
