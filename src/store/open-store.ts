/**
 * Opening the store of a profile: LevelDB (datastore-level) in `<profile>/store`, or
 * the memory backend. LevelDB's errors become one-line P2pchatErrors: its LOCK held by
 * another process (or another open in this one) is PROFILE_IN_USE, naming the pid
 * from the profile's pid file when there is one; corruption found on open is
 * STORE_CORRUPT with the `--repair` path. A store directory with table or log files
 * but no CURRENT file (damaged, or half-deleted) is refused too: LevelDB would
 * otherwise silently start an empty database next to the old data.
 */
import { access, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { LevelDatastore } from 'datastore-level'
import { P2pchatError } from '../errors.js'
import { writeFileAtomic } from './atomic-file.js'
import { ChatStore, type ChatStoreInit } from './chat-store.js'
import { isCorruption, isLocked, profileInUse, rootMessage, storeCorrupt, type StoreLocation } from './errors.js'
import { LevelKv, MemoryKv } from './kv.js'

/**
 * LevelDB's write buffer (its memtable; up to two are held while one is written out). A chat
 * writes a few KB a second, so LevelDB's default of 4 MiB took minutes to fill and held up
 * to 8 MiB of process memory for it; 1 MiB still batches hundreds of messages per table.
 */
export const WRITE_BUFFER_BYTES = 1024 * 1024

/** Options of `openStore`. */
export interface OpenStoreOptions extends ChatStoreInit {
  /** The profile name (for messages). */
  profile: string
  /** The LevelDB directory; undefined = the memory backend (nothing on disk). */
  path?: string
  /** The profile's pid file: written once the store is locked, read to name the holder. */
  pidFile?: string
  /** Snappy compression of LevelDB tables. @default true */
  compression?: boolean
}

async function checkNotHalfGone (location: StoreLocation, path: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(path)
  } catch {
    return // missing: LevelDB creates it
  }
  if (names.includes('CURRENT')) return
  const data = names.filter((n) => /\.(ldb|sst|log)$/.test(n))
  if (data.length > 0) throw storeCorrupt(location, `its CURRENT file is missing but ${data.length} data file(s) remain`)
}

/** The holder named by a pid file ("pid 1234"), if readable and not ours. */
export async function readHolder (pidFile: string | undefined): Promise<string | undefined> {
  if (pidFile === undefined) return undefined
  try {
    const pid = Number.parseInt((await readFile(pidFile, 'utf8')).trim(), 10)
    return Number.isSafeInteger(pid) && pid > 0 ? `pid ${pid}${pid === process.pid ? ', this process' : ''}` : undefined
  } catch {
    return undefined
  }
}

/** True when `dir/name` exists. */
async function existsIn (dir: string, name: string): Promise<boolean> {
  try {
    await access(join(dir, name))
    return true
  } catch {
    return false
  }
}

/** Removes the pid file if it names this process. */
export async function releasePidFile (pidFile: string | undefined): Promise<void> {
  if (pidFile === undefined) return
  try {
    if ((await readFile(pidFile, 'utf8')).trim() === String(process.pid)) await rm(pidFile, { force: true })
  } catch {}
}

/** Opens (creating if needed) the store of a profile. */
export async function openStore (options: OpenStoreOptions): Promise<ChatStore> {
  const { profile, path, pidFile, compression, ...storeOptions } = options
  const location: StoreLocation = path === undefined ? { profile } : { profile, storePath: path }
  if (path === undefined) return await ChatStore.open(new MemoryKv(), location, storeOptions)

  await checkNotHalfGone(location, path)
  const levelOptions = { createIfMissing: true, compression: compression ?? true, writeBufferSize: WRITE_BUFFER_BYTES }
  const datastore = new LevelDatastore(path, levelOptions)
  try {
    await datastore.db.open(levelOptions)
  } catch (err) {
    if (isLocked(err)) throw profileInUse(location, await readHolder(pidFile), err)
    if (isCorruption(err)) throw storeCorrupt(location, rootMessage(err), err)
    // An IO error about a file inside the store (CURRENT naming a manifest that is not there)
    // is damage to the store, not a failing disk: offer --repair.
    if (await existsIn(path, 'CURRENT') && rootMessage(err).includes(path)) throw storeCorrupt(location, rootMessage(err), err)
    throw new P2pchatError('IO_FAILED', `cannot open the message store ${path}: ${rootMessage(err)}`, { cause: err })
  }
  let store: ChatStore | undefined
  try {
    store = await ChatStore.open(new LevelKv(datastore), location, storeOptions)
    if (pidFile !== undefined) await writeFileAtomic(pidFile, `${process.pid}\n`, 0o600).catch(() => {})
    return store
  } catch (err) {
    await datastore.close().catch(() => {})
    throw err
  }
}
