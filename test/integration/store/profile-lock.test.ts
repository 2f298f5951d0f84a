/**
 * Two processes on one profile: the second gets PROFILE_IN_USE (LevelDB's LOCK), naming
 * the holder's pid; so does a second open in the same process, and `--repair` on a
 * profile in use. Once the holder exits, the profile opens again.
 */
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { openProfile, profilePaths, repairStore } from '../../../src/store/index.js'
import { tempDir } from '../../unit/store/helpers.js'
import { startChild } from './fixtures/child.js'

async function failure (work: () => Promise<unknown>): Promise<P2pchatError> {
  try {
    await work()
  } catch (err) {
    if (err instanceof P2pchatError) return err
    throw err
  }
  throw new Error('expected a failure')
}

describe('profile in use', () => {
  it('a second process on the same profile gets PROFILE_IN_USE', async () => {
    const dataDir = await tempDir()
    const child = await startChild(['hold', dataDir, 'work'])
    const ready = await child.waitFor(/^ready /)
    const err = await failure(async () => await openProfile({ dataDir, profile: 'work' }))
    expect(err.code).toBe('PROFILE_IN_USE')
    expect(err.message).toBe(`profile "work" is in use by another p2pchat process (pid ${child.proc.pid ?? 0}); use --profile <other> or --ephemeral`)
    expect((await failure(async () => await repairStore(profilePaths(dataDir, 'work').dir))).code).toBe('PROFILE_IN_USE')
    const other = await openProfile({ dataDir, profile: 'other' }) // another profile is fine
    await other.close()
    child.proc.stdin.end()
    expect(await child.exited).toBe(0)
    const profile = await openProfile({ dataDir, profile: 'work' })
    expect(`ready ${profile.peerId}`).toBe(ready)
    await profile.close()
  })

  it('a profile held by a process killed with -9 opens again (the OS released the lock)', async () => {
    const dataDir = await tempDir()
    const child = await startChild(['hold', dataDir, 'default'])
    await child.waitFor(/^ready /)
    child.proc.kill('SIGKILL')
    await child.exited
    const profile = await openProfile({ dataDir })
    await profile.close()
  })

  it('a second open in the same process gets PROFILE_IN_USE too', async () => {
    const dataDir = await tempDir()
    const first = await openProfile({ dataDir })
    const err = await failure(async () => await openProfile({ dataDir }))
    expect(err.code).toBe('PROFILE_IN_USE')
    expect(err.message).toContain('(pid ')
    await first.close()
    await (await openProfile({ dataDir })).close()
  })
})
