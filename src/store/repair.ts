/**
 * `--repair`: moves a damaged store aside to `<store>.corrupt-<time>` so the next start
 * begins with an empty one. Nothing is deleted (the old store can still be inspected or
 * salvaged), and the key, input history and everything else of the profile stay. A
 * profile in use by another process is refused (moving its store would break it).
 */
import { access, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { LevelDatastore } from 'datastore-level'
import { P2pchatError } from '../errors.js'
import { isLocked, profileInUse } from './errors.js'
import { readHolder } from './open-store.js'

/** A file-name-safe UTC timestamp: 2025-01-31T12-00-00-000Z. */
export function corruptStamp (now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-')
}

async function exists (path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/** Fails with PROFILE_IN_USE when another open holds the store's LevelDB lock. */
async function assertNotLocked (profileDir: string, storePath: string): Promise<void> {
  const { db } = new LevelDatastore(storePath, { createIfMissing: false })
  try {
    await db.open({ createIfMissing: false })
  } catch (err) {
    if (isLocked(err)) {
      const name = profileDir.split(/[\\/]/).filter((p) => p !== '').pop() ?? profileDir
      throw profileInUse({ profile: name, storePath }, await readHolder(join(profileDir, 'pid')), err)
    }
    return // damaged or unreadable: that is why we are here
  }
  await db.close()
}

/**
 * Moves `<profileDir>/store` aside; returns where it went, or undefined when there is no
 * store. The key file is not touched.
 */
export async function repairStore (profileDir: string, now: number = Date.now()): Promise<string | undefined> {
  const storePath = join(profileDir, 'store')
  if (!(await exists(storePath))) return undefined
  await assertNotLocked(profileDir, storePath)
  let target = `${storePath}.corrupt-${corruptStamp(now)}`
  for (let i = 1; await exists(target); i++) target = `${storePath}.corrupt-${corruptStamp(now)}-${i}`
  try {
    await rename(storePath, target)
  } catch (err) {
    throw new P2pchatError('IO_FAILED', `cannot move ${storePath} aside: ${(err as Error).message}`, { cause: err })
  }
  return target
}
