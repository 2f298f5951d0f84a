/**
 * A damaged store: garbage in LevelDB's files, a bad record, a missing CURRENT file.
 * Each gives STORE_CORRUPT with the `--repair` path; `repairStore` moves the store aside
 * (nothing deleted), keeps the key, and the next start works.
 */
import { access, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { ReliableChannel } from '../../../src/reliability/index.js'
import { openProfile, profilePaths, repairStore } from '../../../src/store/index.js'
import { bytes, ROOM, talk, tempDir } from '../../unit/store/helpers.js'

async function failure (work: () => Promise<unknown>): Promise<P2pchatError> {
  try {
    await work()
  } catch (err) {
    if (err instanceof P2pchatError) return err
    throw err
  }
  throw new Error('expected a failure')
}

/** A profile with some history; returns its PeerId. */
async function populated (dataDir: string): Promise<string> {
  const profile = await openProfile({ dataDir, store: { retention: { compactAfterDeletes: 1 } } })
  const me = new ReliableChannel(profile.peerId, ROOM)
  for (const m of talk(300)) await profile.store.appendDelivered(ROOM, m)
  await profile.store.appendOwn(ROOM, me.send(bytes('mine'), 3_000_000))
  await (profile.store.kv as { compact: (p: string) => Promise<void> }).compact('/') // move everything into table files
  await profile.close()
  return profile.peerId
}

/** Opens the profile and loads the room, as a start does. */
async function start (dataDir: string): Promise<void> {
  const profile = await openProfile({ dataDir })
  try {
    await profile.store.loadRoom(ROOM)
  } finally {
    await profile.close()
  }
}

async function expectRepairWorks (dataDir: string, peerId: string): Promise<void> {
  const paths = profilePaths(dataDir)
  const moved = await repairStore(paths.dir, Date.UTC(2030, 0, 2, 3, 4, 5))
  expect(moved).toBe(`${paths.store}.corrupt-2030-01-02T03-04-05-000Z`)
  await access(moved as string) // moved aside, not deleted
  const profile = await openProfile({ dataDir })
  expect(profile.peerId).toBe(peerId) // the key is kept
  expect(await profile.store.loadRecent(ROOM, 10)).toEqual([])
  await profile.close()
}

describe('a damaged store', () => {
  it('garbage in the MANIFEST: STORE_CORRUPT on open, then --repair', async () => {
    const dataDir = await tempDir()
    const peerId = await populated(dataDir)
    const { store } = profilePaths(dataDir)
    for (const name of (await readdir(store)).filter((n) => n.startsWith('MANIFEST-'))) {
      await writeFile(join(store, name), Buffer.alloc(4096, 0x5a))
    }
    const err = await failure(async () => { await start(dataDir) })
    expect(err.code).toBe('STORE_CORRUPT')
    expect(err.message).toContain(`at ${store} is damaged (`)
    expect(err.message).toContain(`run with --repair to move the damaged store aside to ${store}.corrupt-<time> and start fresh (your key is kept)`)
    expect(err.message).not.toContain('\n')
    // not a crash loop: the same clear error every time, until repaired
    expect((await failure(async () => { await start(dataDir) })).code).toBe('STORE_CORRUPT')
    await expectRepairWorks(dataDir, peerId)
  })

  it('garbage in the table files: STORE_CORRUPT when the room loads, then --repair', async () => {
    const dataDir = await tempDir()
    const peerId = await populated(dataDir)
    const { store } = profilePaths(dataDir)
    const tables = (await readdir(store)).filter((n) => n.endsWith('.ldb'))
    expect(tables.length).toBeGreaterThan(0)
    for (const name of tables) await writeFile(join(store, name), Buffer.alloc(64 * 1024, 0xa5))
    expect((await failure(async () => { await start(dataDir) })).code).toBe('STORE_CORRUPT')
    await expectRepairWorks(dataDir, peerId)
  })

  it('a store missing its CURRENT file is not silently replaced by an empty one', async () => {
    const dataDir = await tempDir()
    const peerId = await populated(dataDir)
    const { store } = profilePaths(dataDir)
    await rm(join(store, 'CURRENT'))
    const err = await failure(async () => { await start(dataDir) })
    expect(err.code).toBe('STORE_CORRUPT')
    expect(err.message).toContain('CURRENT file is missing')
    await expectRepairWorks(dataDir, peerId)
  })

  it('repairStore on a profile without a store does nothing', async () => {
    expect(await repairStore(join(await tempDir(), 'nothing'))).toBeUndefined()
  })
})
