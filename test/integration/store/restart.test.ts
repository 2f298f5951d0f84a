/**
 * A profile across restarts, as the driver will use it: same PeerId, history restored
 * (and not re-delivered), Lamport strictly increasing even when the wall clock goes
 * back, unacked own messages resumed, nick and input history kept; `--ephemeral`
 * writes nothing.
 */
import { access, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ReliableChannel, type ReliableMessage } from '../../../src/reliability/index.js'
import { openProfile, type Profile } from '../../../src/store/index.js'
import { bytes, ROOM, tempDir } from '../../unit/store/helpers.js'

/** Starts a profile's channel the way the driver will. */
async function startRoom (profile: Profile, now: number): Promise<{ channel: ReliableChannel, history: ReliableMessage[] }> {
  const loaded = await profile.store.loadRoom(ROOM)
  const channel = ReliableChannel.fromSnapshot(profile.peerId, ROOM, { jitter: 0 }, loaded.restore, now)
  return { channel, history: loaded.entries.map((e) => e.message) }
}

describe('restart with the same data dir', () => {
  it('keeps the PeerId, restores history, and the Lamport clock strictly increases across restarts', async () => {
    const dataDir = await tempDir()
    const peer = new ReliableChannel('12D3KooWSomeoneElse', ROOM, { jitter: 0 })
    let peerId: string | undefined
    const seen: ReliableMessage[] = []
    let lastLamport = 0
    // The wall clock goes back by an hour on the third start.
    const t = Date.now()
    const starts = [t, t + 100_000, t - 3_600_000]
    for (const [run, now] of starts.entries()) {
      const profile = await openProfile({ dataDir, profile: 'work' })
      if (peerId === undefined) peerId = profile.peerId
      expect(profile.peerId).toBe(peerId)
      const { channel, history } = await startRoom(profile, now)
      expect(history.map((m) => m.messageId)).toEqual(seen.map((m) => m.messageId))
      expect(history).toEqual(seen)
      expect(channel.history()).toEqual(seen)
      expect(channel.drainEvents()).toEqual([]) // history is shown as history, not delivered again
      for (let i = 0; i < 3; i++) {
        const msg = channel.send(bytes(`run ${run} line ${i}`), now + i)
        await profile.store.appendOwn(ROOM, msg)
        expect(msg.lamport).toBeGreaterThan(lastLamport)
        lastLamport = msg.lamport
        seen.push(msg)
        peer.receive(msg, now + i)
        const reply = peer.send(bytes(`reply ${run}.${i}`), now + i)
        channel.receive(reply, now + i)
        await profile.store.appendDelivered(ROOM, reply)
        lastLamport = Math.max(lastLamport, reply.lamport)
        seen.push(reply)
      }
      await profile.store.saveState(ROOM, channel.snapshot({ messages: false, seen: false }))
      await profile.close()
    }
  })

  it('unacked own messages survive a stop without a final state save and are resent', async () => {
    const dataDir = await tempDir()
    const first = await openProfile({ dataDir })
    const { channel } = await startRoom(first, 1_000_000)
    const msg = channel.send(bytes('nobody heard this yet'), 1_000_000)
    await first.store.appendOwn(ROOM, msg)
    await first.close()

    const second = await openProfile({ dataDir })
    const { channel: again } = await startRoom(second, 2_000_000)
    expect(again.status().unacknowledged).toBe(1)
    expect(again.drainOutgoing()).toEqual([msg])
    await second.close()
  })

  it('keeps the nick and the input history (0600)', async () => {
    const dataDir = await tempDir()
    const first = await openProfile({ dataDir })
    await first.store.setNick('alice')
    await first.inputHistory.save(['hello', '/nick alice', ''])
    await first.close()
    const second = await openProfile({ dataDir })
    expect(await second.store.getNick()).toBe('alice')
    expect(await second.inputHistory.load()).toEqual(['hello', '/nick alice'])
    expect((await stat(second.inputHistory.path as string)).mode & 0o777).toBe(0o600)
    expect((await stat(second.paths?.dir as string)).mode & 0o777).toBe(0o700)
    await second.close()
  })

  it('--ephemeral writes nothing to disk', async () => {
    const dataDir = join(await tempDir(), 'never-created')
    const profile = await openProfile({ dataDir, ephemeral: true })
    const { channel } = await startRoom(profile, 1_000)
    await profile.store.appendOwn(ROOM, channel.send(bytes('x'), 1_000))
    await profile.inputHistory.save(['x'])
    expect(await profile.store.loadRecent(ROOM, 10)).toHaveLength(1)
    await profile.close()
    await expect(access(dataDir)).rejects.toThrow()
    expect(profile.paths).toBeUndefined()
  })
})
